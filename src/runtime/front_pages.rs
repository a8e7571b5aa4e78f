//! Pages of the home page, of section, author and tag pages, as cheap at page 4,000 as at
//! page 1.
//!
//! `?page=N` asks for the articles at a position in the list, which SQL can only reach by
//! counting past every article before it (`OFFSET`: 80,000 index steps for page 4,000).
//! So every [`ANCHOR_EVERY`]-th published article of each list (site, sections, bylines
//! and tags: [`Listing`]; scheduled ones included) is kept here, a few bytes each; a page is then an index
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
use crate::core::article::{ArticleSummary, FrontPage, SitemapEntry};
use crate::db::articles::{self, Anchor, Listing};
use crate::db::{Database, DbConn, DbError};

/// Articles per page of a list.
pub const PAGE_SIZE: i64 = 20;
/// An anchor every this many articles (a page's worth).
pub const ANCHOR_EVERY: i64 = PAGE_SIZE;

/// One list's anchors, and how many published articles (scheduled ones included) it has.
#[derive(Debug)]
struct AnchoredList {
    anchors: Vec<Anchor>,
    total: i64,
}

impl AnchoredList {
    /// Where the visible article at `offset` (0 = the newest visible) is reached from:
    /// an anchor (or the top) and how many visible articles to step over after it.
    /// `scheduled` articles of the list are due after now and sit at its top. None past
    /// the end.
    fn seek(&self, scheduled: i64, offset: i64) -> Option<(Option<Anchor>, i64)> {
        let position = scheduled + offset;
        if position >= self.total {
            return None;
        }
        let index = position / ANCHOR_EVERY;
        match self.anchors.get(index as usize) {
            Some(&anchor) if index * ANCHOR_EVERY >= scheduled => {
                Some((Some(anchor), position - index * ANCHOR_EVERY))
            }
            // The anchor is among the scheduled ones: the article is within one anchor's
            // distance of the top.
            _ => Some((None, offset)),
        }
    }
}

struct Anchors {
    read_at: Instant,
    generation: u64,
    list: Arc<AnchoredList>,
}

pub struct FrontPages {
    ttl: Duration,
    generation: AtomicU64,
    anchors: Mutex<HashMap<Listing, Anchors>>,
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

    fn fresh(&self, list: &Listing) -> Option<Arc<AnchoredList>> {
        let generation = self.generation.load(Ordering::Acquire);
        let anchors = self.anchors.lock().unwrap_or_else(PoisonError::into_inner);
        anchors
            .get(list)
            .filter(|a| a.generation == generation && a.read_at.elapsed() < self.ttl)
            .map(|a| a.list.clone())
    }

    /// Forgets every anchor: an article or a section changed.
    pub fn invalidate(&self) {
        let mut anchors = self.anchors.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::AcqRel);
        anchors.clear();
    }

    async fn anchors(&self, db: &Database, key: Listing) -> Result<Arc<AnchoredList>, DbError> {
        if let Some(list) = self.fresh(&key) {
            return Ok(list);
        }
        let _turn = self.reading.lock().await;
        // Whoever read before us may have read this very list.
        if let Some(list) = self.fresh(&key) {
            return Ok(list);
        }
        let generation = self.generation.load(Ordering::Acquire);
        let read = key.clone();
        let (anchors, total) = db
            .run(move |conn| articles::anchors(conn, &read, ANCHOR_EVERY as usize))
            .await?;
        let list = Arc::new(AnchoredList { anchors, total });
        let mut anchors = self.anchors.lock().unwrap_or_else(PoisonError::into_inner);
        // Read before a change that came in meanwhile: use it once, keep it not.
        if generation == self.generation.load(Ordering::Acquire) {
            anchors.insert(
                key,
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
        let list = Listing::from(section);
        let anchors = self.anchors(db, list.clone()).await?;
        let front = db
            .run(move |conn| {
                let lead = match page {
                    1 => articles::visible_from(conn, now, &list, None, 0, 1)?,
                    _ => Vec::new(),
                };
                // The page's first article among the visible ones (the lead is the 0th).
                let offset = 1 + (page - 1) * PAGE_SIZE;
                let mut items = slice(conn, &anchors, &list, now, offset, PAGE_SIZE + 1)?;
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

    /// The visible articles of `list` from the `offset`-th (0 = the newest), at most
    /// `limit`: an author's or a tag's page, as cheap deep in the archive as on page 1.
    pub async fn slice(
        &self,
        db: &Database,
        list: Listing,
        offset: i64,
        limit: i64,
        now: i64,
    ) -> Result<Vec<ArticleSummary>, DbError> {
        let anchors = self.anchors(db, list.clone()).await?;
        db.run(move |conn| slice(conn, &anchors, &list, now, offset, limit))
            .await
    }

    /// How many articles of the site readers may see now.
    pub async fn visible_count(&self, db: &Database, now: i64) -> Result<i64, DbError> {
        let anchors = self.anchors(db, Listing::Site).await?;
        let scheduled = db
            .run(move |conn| articles::scheduled_count(conn, &Listing::Site, now))
            .await?;
        Ok(anchors.total - scheduled)
    }

    /// The sitemap's lines of the visible articles at positions `range` (0 = the newest),
    /// read from the nearest anchor, however deep.
    pub async fn sitemap_entries(
        &self,
        db: &Database,
        range: std::ops::Range<i64>,
        now: i64,
    ) -> Result<Vec<SitemapEntry>, DbError> {
        let anchors = self.anchors(db, Listing::Site).await?;
        db.run(move |conn| {
            let scheduled = articles::scheduled_count(conn, &Listing::Site, now)?;
            let Some((from, skip)) = anchors.seek(scheduled, range.start) else {
                return Ok(Vec::new());
            };
            let limit = range.end - range.start;
            articles::sitemap_entries_from(conn, now, from, skip, limit)
        })
        .await
    }
}

/// The visible articles of `list` from the `offset`-th (0 = the newest), at most `limit`,
/// reached from its anchors: an index seek however deep.
fn slice(
    conn: &mut DbConn,
    anchors: &AnchoredList,
    list: &Listing,
    now: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<ArticleSummary>, DbError> {
    let scheduled = articles::scheduled_count(conn, list, now)?;
    match anchors.seek(scheduled, offset) {
        Some((from, skip)) => articles::visible_from(conn, now, list, from, skip, limit),
        None => Ok(Vec::new()),
    }
}

/// The sitemap's lines of the visible articles at positions `range`, read a batch at a
/// time, so that a sitemap of 50,000 URLs is sent as it is read: the first batch from the
/// nearest anchor, each next one by an index seek past the last line sent.
pub struct SitemapBatches {
    start: i64,
    after: Option<Anchor>,
    left: i64,
    batch: i64,
    now: i64,
}

impl SitemapBatches {
    pub fn new(range: std::ops::Range<i64>, batch: i64, now: i64) -> Self {
        SitemapBatches {
            start: range.start,
            after: None,
            left: range.end - range.start,
            batch: batch.max(1),
            now,
        }
    }

    /// The next batch, or None once the range (or the list) has ended.
    pub async fn next(
        &mut self,
        pages: &FrontPages,
        db: &Database,
    ) -> Result<Option<Vec<SitemapEntry>>, DbError> {
        if self.left <= 0 {
            return Ok(None);
        }
        let limit = self.left.min(self.batch);
        let now = self.now;
        let entries = match self.after {
            None => {
                pages
                    .sitemap_entries(db, self.start..self.start + limit, now)
                    .await?
            }
            Some(after) => {
                db.run(move |conn| articles::sitemap_entries_after(conn, now, after, limit))
                    .await?
            }
        };
        self.left = match (entries.len() as i64) < limit {
            true => 0,
            false => self.left - limit,
        };
        let Some(last) = entries.last() else {
            return Ok(None);
        };
        self.after = Some((last.published_at, last.id));
        Ok(Some(entries))
    }
}
