//! Pages of the home page and of section pages, as cheap at page 4,000 as at page 1.
//!
//! `?page=N` asks for the articles at a position in the list, which SQL can only reach by
//! counting past every article before it (`OFFSET`: 80,000 index steps for page 4,000).
//! So every [`ANCHOR_EVERY`]-th published article of each list (site and sections,
//! scheduled ones included) is kept here, a few bytes each; a page is then an index
//! seek to the anchor at or before it and a read of at most `ANCHOR_EVERY + 21` rows.
//! Articles scheduled for later sit at the top of the anchored list, and are counted
//! (an index range, small) and stepped over at query time, so an article that comes due
//! needs no new anchors. Any newsroom change drops the anchors ([`FrontPages::invalidate`]);
//! they are also read again after `ttl`, for changes made behind the newsroom's back.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::core::SectionId;
use crate::core::article::FrontPage;
use crate::db::articles::{self, Anchor};
use crate::db::{Database, DbError};

/// Articles per page of a list.
pub const PAGE_SIZE: i64 = 20;
/// An anchor every this many articles (a page's worth).
pub const ANCHOR_EVERY: i64 = PAGE_SIZE;

struct Anchors {
    read_at: Instant,
    generation: u64,
    list: Arc<Vec<Anchor>>,
}

pub struct FrontPages {
    ttl: Duration,
    generation: AtomicU64,
    anchors: Mutex<HashMap<Option<SectionId>, Anchors>>,
    /// One reading of the anchors at a time (readers of other lists wait too: rare).
    reading: tokio::sync::Mutex<()>,
}

impl FrontPages {
    pub fn new(ttl: Duration) -> Self {
        FrontPages {
            ttl,
            generation: AtomicU64::new(0),
            anchors: Mutex::new(HashMap::new()),
            reading: tokio::sync::Mutex::new(()),
        }
    }

    fn fresh(&self, section: Option<SectionId>) -> Option<Arc<Vec<Anchor>>> {
        let generation = self.generation.load(Ordering::Acquire);
        let anchors = self.anchors.lock().unwrap_or_else(PoisonError::into_inner);
        anchors
            .get(&section)
            .filter(|a| a.generation == generation && a.read_at.elapsed() < self.ttl)
            .map(|a| a.list.clone())
    }

    /// Forgets every anchor: an article or a section changed.
    pub fn invalidate(&self) {
        let mut anchors = self.anchors.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::AcqRel);
        anchors.clear();
    }

    async fn anchors(
        &self,
        db: &Database,
        section: Option<SectionId>,
    ) -> Result<Arc<Vec<Anchor>>, DbError> {
        if let Some(list) = self.fresh(section) {
            return Ok(list);
        }
        let _turn = self.reading.lock().await;
        // Whoever read before us may have read this very list.
        if let Some(list) = self.fresh(section) {
            return Ok(list);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let list = Arc::new(
            db.run(move |conn| articles::anchors(conn, section, ANCHOR_EVERY as usize))
                .await?,
        );
        let mut anchors = self.anchors.lock().unwrap_or_else(PoisonError::into_inner);
        // Read before a change that came in meanwhile: use it once, keep it not.
        if generation == self.generation.load(Ordering::Acquire) {
            anchors.insert(
                section,
                Anchors {
                    read_at: Instant::now(),
                    generation,
                    list: list.clone(),
                },
            );
        }
        Ok(list)
    }

    /// Page `page` (from 1) of the site's (`section` None) or a section's front page: the
    /// newest visible article leads, and the list pages go on after it, [`PAGE_SIZE`] a
    /// page. `None` past the last page.
    pub async fn page(
        &self,
        db: &Database,
        section: Option<SectionId>,
        page: i64,
        now: i64,
    ) -> Result<Option<FrontPage>, DbError> {
        let anchors = self.anchors(db, section).await?;
        let front = db
            .run(move |conn| {
                let lead = match page {
                    1 => articles::visible_from(conn, now, section, None, 0, 1)?,
                    _ => Vec::new(),
                };
                // Position of the page's first article among the visible ones, and in the
                // anchored list, which starts with the articles scheduled for later.
                let offset = 1 + (page - 1) * PAGE_SIZE;
                let scheduled = articles::scheduled_count(conn, section, now)?;
                let position = scheduled + offset;
                let index = position / ANCHOR_EVERY;
                let mut items = match anchors.get(index as usize) {
                    Some(&anchor) if index * ANCHOR_EVERY >= scheduled => {
                        let skip = position - index * ANCHOR_EVERY;
                        articles::visible_from(
                            conn,
                            now,
                            section,
                            Some(anchor),
                            skip,
                            PAGE_SIZE + 1,
                        )?
                    }
                    // The anchor is among the scheduled ones: the page starts within one
                    // anchor's distance of the top.
                    Some(_) => {
                        articles::visible_from(conn, now, section, None, offset, PAGE_SIZE + 1)?
                    }
                    None => Vec::new(),
                };
                let has_next = items.len() as i64 > PAGE_SIZE;
                items.truncate(PAGE_SIZE as usize);
                Ok::<_, DbError>(FrontPage {
                    lead: lead.into_iter().next(),
                    items,
                    has_next,
                })
            })
            .await?;
        Ok((page == 1 || !front.items.is_empty()).then_some(front))
    }
}
