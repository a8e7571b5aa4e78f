//! "الأكثر قراءة": the published articles with the most views in the last
//! [`MOST_READ_DAYS`] days (from the per-day counts the view counter writes), computed at
//! most once per refresh interval and shared by every page in between.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
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
    latest: Mutex<Option<Computed>>,
    /// Held by the one request that computes the list. When there is no list yet, the
    /// others wait for it instead of each querying the database; when there is one, they
    /// show it meanwhile (the computation reads a week of counts: tens of milliseconds
    /// that no other page should wait for).
    computing: tokio::sync::Mutex<()>,
}

type Computed = (Instant, Arc<Vec<ArticleSummary>>);

impl MostReadCache {
    pub fn new(refresh_every: Duration) -> Self {
        MostReadCache {
            refresh_every,
            latest: Mutex::new(None),
            computing: tokio::sync::Mutex::new(()),
        }
    }

    fn latest(&self) -> MutexGuard<'_, Option<Computed>> {
        // Only ever replaced whole: a poisoned lock still holds a whole value.
        self.latest.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets the list (an article was edited, unpublished or deleted), so the next page
    /// computes it afresh and waits for it: a hidden article must leave the list at once.
    pub fn invalidate(&self) {
        *self.latest() = None;
    }
}

impl Default for MostReadCache {
    fn default() -> Self {
        MostReadCache::new(MOST_READ_REFRESH)
    }
}

impl MostReadCache {
    /// The current list. Past the refresh interval, one request computes it again while the
    /// others go on showing the previous one.
    pub async fn current(&self, db: &Database) -> Result<Arc<Vec<ArticleSummary>>, DbError> {
        let shown = self.latest().clone();
        let _computing = match shown {
            Some((computed_at, list)) if computed_at.elapsed() < self.refresh_every => {
                return Ok(list);
            }
            Some((_, list)) => match self.computing.try_lock() {
                Ok(guard) => guard,
                Err(_) => return Ok(list),
            },
            None => {
                let guard = self.computing.lock().await;
                // Whoever held the lock may have just computed it.
                if let Some((computed_at, list)) = self.latest().clone()
                    && computed_at.elapsed() < self.refresh_every
                {
                    return Ok(list);
                }
                guard
            }
        };
        let now = now_timestamp();
        let since_day = day_number(now) - (MOST_READ_DAYS - 1);
        let list = Arc::new(
            db.run(move |conn| views::most_read_since(conn, since_day, now, MOST_READ_COUNT))
                .await?,
        );
        *self.latest() = Some((Instant::now(), list.clone()));
        Ok(list)
    }
}
