//! Managing sections: create, rename, delete when empty. Each change is one transaction.

use crate::core::SectionId;
use crate::core::section::{Section, SectionWithCount};
use crate::core::time::now_timestamp;
use crate::db::changes::{self, Change};
use crate::db::{Database, articles, sections, write_tx};

use super::AppError;

/// All sections in menu order.
pub async fn all(db: &Database) -> Result<Vec<Section>, AppError> {
    Ok(db.run(sections::all).await?)
}

/// All sections with how many articles each holds (the newsroom's sections page).
pub async fn all_with_counts(db: &Database) -> Result<Vec<SectionWithCount>, AppError> {
    Ok(db.run(sections::all_with_counts).await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateOutcome {
    Created(SectionId),
    /// Another section has this slug: nothing was created.
    SlugTaken,
}

/// Creates a section at the end of the menu. `name` and `slug` are already valid
/// (`core::section::check_name`, `check_slug`).
pub async fn create(db: &Database, name: String, slug: String) -> Result<CreateOutcome, AppError> {
    // Checked and inserted in one transaction, so two editors cannot take the same slug.
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                if sections::slug_taken(conn, &slug)? {
                    return Ok(CreateOutcome::SlugTaken);
                }
                let position = sections::next_position(conn)?;
                let id = sections::insert(conn, &slug, &name, position)?;
                changes::record(conn, Change::Sections, now_timestamp())?;
                Ok(CreateOutcome::Created(id))
            })
        })
        .await?)
}

/// Renames a section (`name` already valid); `NotFound` if there is none.
pub async fn rename(db: &Database, id: SectionId, name: String) -> Result<(), AppError> {
    let renamed = db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let renamed = sections::rename(conn, id, &name)?;
                if renamed {
                    changes::record(conn, Change::Sections, now_timestamp())?;
                }
                Ok(renamed)
            })
        })
        .await?;
    if renamed {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    /// The section still holds this many articles: nothing was deleted.
    NotEmpty(i64),
}

/// Deletes a section that holds no article (a section that does not exist is already
/// deleted).
pub async fn delete(db: &Database, id: SectionId) -> Result<DeleteOutcome, AppError> {
    // Counted and deleted in one transaction, so no article can slip in between.
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let count = articles::count_in_section(conn, id)?;
                if count > 0 {
                    return Ok(DeleteOutcome::NotEmpty(count));
                }
                sections::delete(conn, id)?;
                changes::record(conn, Change::Sections, now_timestamp())?;
                Ok(DeleteOutcome::Deleted)
            })
        })
        .await?)
}
