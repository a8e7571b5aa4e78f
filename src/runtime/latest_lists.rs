//! The newest articles of the site and of each section, for a few seconds: every article
//! page's "المزيد" is made from them, so an article read for the first time costs one
//! read of the article itself, not two list queries of its own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::core::SectionId;
use crate::core::article::{ArticleSummary, MORE_HEADLINES, PublicArticle, more_headlines};
use crate::core::time::now_timestamp;
use crate::db::{Database, DbError, articles};

type Lists = HashMap<Option<SectionId>, (Instant, Arc<Vec<ArticleSummary>>)>;

#[derive(Debug)]
pub struct LatestLists {
    ttl: Duration,
    lists: Mutex<Lists>,
}

impl LatestLists {
    /// Lists are read again after `ttl` (zero: every time).
    pub fn new(ttl: Duration) -> Self {
        LatestLists {
            ttl,
            lists: Mutex::new(HashMap::new()),
        }
    }

    fn lists(&self) -> std::sync::MutexGuard<'_, Lists> {
        self.lists.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets every list (an article or a section changed).
    pub fn invalidate(&self) {
        self.lists().clear();
    }

    /// The newest `limit` visible articles of `section` (or of the site), from memory when
    /// read less than `ttl` ago. Each list is always asked for with the same `limit`.
    async fn latest(
        &self,
        db: &Database,
        section: Option<SectionId>,
        limit: usize,
    ) -> Result<Arc<Vec<ArticleSummary>>, DbError> {
        if let Some((read_at, list)) = self.lists().get(&section)
            && read_at.elapsed() < self.ttl
        {
            return Ok(list.clone());
        }
        let now = now_timestamp();
        let list = Arc::new(
            db.run(move |conn| {
                articles::visible_from(conn, now, &section.into(), None, 0, limit as i64)
            })
            .await?,
        );
        if !self.ttl.is_zero() {
            // Sections are few, so the map stays small: one entry each, and the site's.
            self.lists().insert(section, (Instant::now(), list.clone()));
        }
        Ok(list)
    }

    /// "المزيد" under `article`.
    pub async fn more_for(
        &self,
        db: &Database,
        article: &PublicArticle,
    ) -> Result<Vec<ArticleSummary>, DbError> {
        let section = self
            .latest(db, Some(article.section_id), MORE_HEADLINES + 1)
            .await?;
        let site = self.latest(db, None, 2 * MORE_HEADLINES + 1).await?;
        Ok(more_headlines(article.id, &section, &site, MORE_HEADLINES))
    }
}
