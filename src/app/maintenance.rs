//! An operator's chores: keeping the search index built by the current rules.

use crate::db::{Database, search};

use super::AppError;

/// Rebuilds the whole search index; returns how many articles were indexed.
pub async fn rebuild_search_index(db: &Database) -> Result<usize, AppError> {
    Ok(db.run(search::rebuild).await?)
}

/// Rebuilds the search index if it was built by older rules (or never): how many
/// articles were indexed then, `None` if it was current.
pub async fn ensure_search_index(db: &Database) -> Result<Option<usize>, AppError> {
    Ok(db.run(search::ensure_current).await?)
}
