//! How this instance follows the change feed (see `change_feed`), for `/readyz`.

use std::sync::{Mutex, PoisonError};

/// How the feed is followed, for `/readyz` and `/metrics`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FeedHealth {
    /// The last change applied here.
    pub applied: i64,
    /// Changes applied since start.
    pub changes_applied: u64,
    /// When the feed was last read without error.
    pub last_success_at: Option<i64>,
    pub failing_since: Option<i64>,
    pub last_error: Option<String>,
    /// Whether a PostgreSQL `LISTEN` connection is up.
    pub listening: bool,
}

#[derive(Debug, Default)]
pub struct ChangeFeed {
    health: Mutex<FeedHealth>,
}

impl ChangeFeed {
    pub fn health(&self) -> FeedHealth {
        self.health
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(super) fn update(&self, change: impl FnOnce(&mut FeedHealth)) {
        change(&mut self.health.lock().unwrap_or_else(PoisonError::into_inner));
    }
}
