//! An operator's chores: rebuilding the search index by hand, backups and checks.

use crate::db::Database;
use crate::db::changes::{self, Change};

use super::AppError;

/// Rebuilds the whole search index; returns how many articles it holds. (The index is
/// rebuilt at start by itself when it is missing, unreadable or behind; this is for an
/// operator who changed articles by hand in the database.)
pub async fn rebuild_search_index(db: &Database) -> Result<usize, AppError> {
    Ok(db
        .run_with_search(|conn, search| {
            // Every instance rebuilds its own index: articles may have been changed by hand.
            let now = crate::core::time::now_timestamp();
            crate::db::write_tx(conn, |conn| changes::record(conn, Change::Everything, now))?;
            search.rebuild(conn)
        })
        .await?)
}

/// What a backup made.
#[derive(Debug)]
pub struct Backup {
    pub articles: i64,
    /// What the checks of the copy found: nothing for a good copy.
    pub problems: Vec<String>,
}

/// Copies the database at `source` to `destination` while it may be serving, then checks
/// the copy as a restore would find it.
pub fn back_up(
    source: &std::path::Path,
    destination: &std::path::Path,
) -> Result<Backup, AppError> {
    crate::db::backup::copy(source, destination)?;
    Ok(Backup {
        problems: crate::db::backup::problems(destination)?,
        articles: crate::db::backup::article_count(destination)?,
    })
}

/// What SQLite's integrity and foreign-key checks find wrong in the database at `path`.
pub fn problems(path: &std::path::Path) -> Result<Vec<String>, AppError> {
    Ok(crate::db::backup::problems(path)?)
}
