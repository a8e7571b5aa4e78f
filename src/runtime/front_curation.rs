//! The newsroom's picks for the front page (lead, featured, breaking news), read at most
//! once a second and shared by every page: the breaking-news bar is on every article page,
//! and an article page rendered for the cache must not add a query for it. A change made
//! here is seen at once ([`CurationCache::invalidate`]); one made by another process
//! within the refresh interval.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::core::front_page::Curation;
use crate::db::{Database, DbError, front_page};

pub const CURATION_REFRESH: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct CurationCache {
    refresh_every: Duration,
    latest: Mutex<Option<(Instant, Arc<Curation>)>>,
}

impl Default for CurationCache {
    fn default() -> Self {
        CurationCache {
            refresh_every: CURATION_REFRESH,
            latest: Mutex::new(None),
        }
    }
}

impl CurationCache {
    pub fn invalidate(&self) {
        *self.latest.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The picks as stored (ended ones included: `Curation::at` leaves them out).
    pub async fn current(&self, db: &Database) -> Result<Arc<Curation>, DbError> {
        if let Some((read_at, curation)) =
            &*self.latest.lock().unwrap_or_else(PoisonError::into_inner)
            && read_at.elapsed() < self.refresh_every
        {
            return Ok(curation.clone());
        }
        let curation = Arc::new(db.run(front_page::curation).await?);
        *self.latest.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((Instant::now(), curation.clone()));
        Ok(curation)
    }
}
