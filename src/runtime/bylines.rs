//! Which bylines each author's address stands for (`/author/{slug}`: an author spelled
//! several ways is one author). Finding them walks every byline of the site and folds each
//! (a fifth of the cost of an author's page), so the answer for the whole site is read
//! once and kept for a few seconds, and dropped on any newsroom change.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::core::authors::author_slug;
use crate::db::{Database, DbError, articles};

type BySlug = HashMap<String, Vec<String>>;

#[derive(Debug)]
pub struct Bylines {
    ttl: Duration,
    /// Counts newsroom changes: bylines read across one are used once, not kept.
    generation: AtomicU64,
    kept: Mutex<Option<(Instant, Arc<BySlug>)>>,
}

impl Bylines {
    /// Read again after `ttl` (zero: every time).
    pub fn new(ttl: Duration) -> Self {
        Bylines {
            ttl,
            generation: AtomicU64::new(0),
            kept: Mutex::new(None),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Option<(Instant, Arc<BySlug>)>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets them (an article changed).
    pub fn invalidate(&self) {
        let mut kept = self.kept();
        self.generation.fetch_add(1, Ordering::AcqRel);
        *kept = None;
    }

    /// The bylines, as typed, that are the author at `slug`, in the order of the site's
    /// bylines; none for an address that is nobody's.
    pub async fn of(&self, db: &Database, slug: &str) -> Result<Vec<String>, DbError> {
        let fresh = self
            .kept()
            .as_ref()
            .filter(|(read_at, _)| read_at.elapsed() < self.ttl)
            .map(|(_, by_slug)| by_slug.clone());
        let by_slug = match fresh {
            Some(by_slug) => by_slug,
            None => {
                let generation = self.generation.load(Ordering::Acquire);
                let all = db.run(articles::authors).await?;
                let mut by_slug = BySlug::new();
                for byline in all {
                    by_slug
                        .entry(author_slug(&byline))
                        .or_default()
                        .push(byline);
                }
                let by_slug = Arc::new(by_slug);
                let mut kept = self.kept();
                if !self.ttl.is_zero() && generation == self.generation.load(Ordering::Acquire) {
                    *kept = Some((Instant::now(), by_slug.clone()));
                }
                by_slug
            }
        };
        Ok(by_slug.get(slug).cloned().unwrap_or_default())
    }
}
