//! Author pages and what the newsroom writes about its authors.

use crate::core::article::ArticleSummary;
use crate::core::audit::{Actor, AuditAction};
use crate::core::authors::{AuthorPageData, AuthorProfile, author_slug};
use crate::db::changes::{self, Change};
use crate::db::{Database, audit, authors, pictures, write_tx};

use super::AppError;

/// The author `slug`, whose bylines (as typed) are `bylines`, without their articles;
/// `None` if there are none (no article carries that byline).
pub async fn about(
    db: &Database,
    slug: String,
    bylines: Vec<String>,
) -> Result<Option<AuthorPageData>, AppError> {
    let Some(name) = bylines.first().cloned() else {
        return Ok(None);
    };
    Ok(db
        .run(move |conn| {
            let profile = authors::profile(conn, &slug)?.unwrap_or_default();
            let picture = match profile.picture {
                Some(id) => pictures::find(conn, id)?,
                None => None,
            };
            Ok::<_, crate::db::DbError>(Some(AuthorPageData {
                name,
                profile,
                picture,
                articles: Vec::new(),
            }))
        })
        .await?)
}

/// One page of the articles readers may see under any of `bylines` (an author spelled
/// several ways), newest first.
pub async fn articles_by(
    db: &Database,
    bylines: Vec<String>,
    offset: i64,
    limit: i64,
    now: i64,
) -> Result<Vec<ArticleSummary>, AppError> {
    Ok(db
        .run(move |conn| authors::visible_by(conn, &bylines, now, offset, limit))
        .await?)
}

/// Every byline in use (one per author: spellings of one author count once), its slug and
/// what the newsroom wrote about it.
pub async fn all(db: &Database) -> Result<Vec<(String, String, AuthorProfile)>, AppError> {
    Ok(db
        .run(move |conn| {
            let profiles = authors::all_profiles(conn)?;
            let mut seen: Vec<(String, String, AuthorProfile)> = Vec::new();
            for byline in crate::db::articles::authors(conn)? {
                let slug = author_slug(&byline);
                if slug.is_empty() || seen.iter().any(|(_, s, _)| *s == slug) {
                    continue;
                }
                let profile = profiles
                    .iter()
                    .find(|(s, _)| *s == slug)
                    .map(|(_, p)| p.clone())
                    .unwrap_or_default();
                seen.push((byline, slug, profile));
            }
            Ok::<_, crate::db::DbError>(seen)
        })
        .await?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileOutcome {
    Saved,
    /// No picture in the library has that number: nothing was saved.
    NoSuchPicture,
}

/// Writes what the newsroom says about author `slug`, audited in the same transaction.
pub async fn set_profile(
    db: &Database,
    actor: Actor,
    slug: String,
    profile: AuthorProfile,
    now: i64,
) -> Result<ProfileOutcome, AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                if let Some(id) = profile.picture
                    && pictures::find(conn, id)?.is_none()
                {
                    return Ok(ProfileOutcome::NoSuchPicture);
                }
                authors::set_profile(conn, &slug, &profile)?;
                let target = format!("author {slug}");
                audit::record(conn, now, &actor, AuditAction::AuthorProfileSet, &target)?;
                changes::record(conn, Change::Authors, now)?;
                Ok(ProfileOutcome::Saved)
            })
        })
        .await?)
}
