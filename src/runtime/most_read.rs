//! "الأكثر قراءة": the published articles with the most views in the last
//! [`MOST_READ_DAYS`] days (from the per-day counts the view counter writes), computed at
//! most once per refresh interval and shared by every page in between.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::core::article::ArticleSummary;
use crate::core::time::{day_number, now_timestamp};
use crate::db::{Database, DbError, views};

/// How many articles the list shows.
pub const MOST_READ_COUNT: i64 = 6;
/// The window, today included (UTC days, as `article_daily_views` counts them).
pub const MOST_READ_DAYS: i64 = 7;
/// How long a computed list is shown before it is computed again.
pub const MOST_READ_REFRESH: Duration = Duration::from_secs(5);

/// The last computed list and when it was computed.
#[derive(Debug)]
pub struct MostReadCache {
    refresh_every: Duration,
    /// An async lock: while one request recomputes the list, the others wait for it
    /// instead of each querying the database.
    latest: tokio::sync::Mutex<Option<(Instant, Arc<Vec<ArticleSummary>>)>>,
}

impl MostReadCache {
    pub fn new(refresh_every: Duration) -> Self {
        MostReadCache {
            refresh_every,
            latest: tokio::sync::Mutex::new(None),
        }
    }

    /// Forgets the list (an article was edited, unpublished or deleted), so the next page
    /// computes it afresh. If a computation is under way, it is about to replace it anyway.
    pub fn invalidate(&self) {
        if let Ok(mut latest) = self.latest.try_lock() {
            *latest = None;
        }
    }
}

impl Default for MostReadCache {
    fn default() -> Self {
        MostReadCache::new(MOST_READ_REFRESH)
    }
}

impl MostReadCache {
    /// The current list, recomputed first if it is older than the refresh interval.
    pub async fn current(&self, db: &Database) -> Result<Arc<Vec<ArticleSummary>>, DbError> {
        let mut latest = self.latest.lock().await;
        if let Some((computed_at, list)) = latest.as_ref()
            && computed_at.elapsed() < self.refresh_every
        {
            return Ok(list.clone());
        }
        let now = now_timestamp();
        let since_day = day_number(now) - (MOST_READ_DAYS - 1);
        let list = Arc::new(
            db.run(move |conn| views::most_read_since(conn, since_day, now, MOST_READ_COUNT))
                .await?,
        );
        *latest = Some((Instant::now(), list.clone()));
        Ok(list)
    }
}
