//! An operator's chores: rebuilding the search index by hand.

use crate::db::Database;

use super::AppError;

/// Rebuilds the whole search index; returns how many articles it holds. (The index is
/// rebuilt at start by itself when it is missing, unreadable or behind; this is for an
/// operator who changed articles by hand in the database.)
pub async fn rebuild_search_index(db: &Database) -> Result<usize, AppError> {
    Ok(db
        .run_with_search(|conn, search| {
            crate::db::search::bump_changes(conn)?;
            search.rebuild(conn)
        })
        .await?)
}
