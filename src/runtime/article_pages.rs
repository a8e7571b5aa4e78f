//! Rendered article pages, kept for a few seconds and served without the database.
//!
//! An article page is the same for every reader but for its view count and the reader's
//! font size. So it is rendered once with stand-ins for both, cut around them into a
//! [`SplitPage`] (whose pieces are also gzip-compressed once), and each request only fills
//! in its own view count and font-size class.
//!
//! Freshness:
//! * any change to an article or a section ([`super::AppState::article_changed`])
//!   drops every page at once;
//! * a page is used for [`ARTICLE_PAGE_TTL`] only (or the "most read" refresh interval, if
//!   shorter), so that its lists ("المزيد", "الأكثر قراءة") and newly visible scheduled
//!   articles show up within seconds; when it expires,
//!   one request renders it again while the others still get the previous page, so that the
//!   database sees one query, not one per concurrent reader;
//! * nothing is kept for a draft or an unknown id: those are looked up (and 404) every time.
//!
//! The view count stays exact: the page keeps the `views` read from the database when it
//! was rendered, which only starts the article's tally in the view counter (see
//! `view_counter.rs`: this process is the only writer of `views`, so that value is still right
//! whenever no tally exists yet).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use flate2::Compression;

use super::cache_stats::CacheStats;
use super::gzip::{Marker, SplitPage};
use crate::core::ArticleId;
use crate::core::arabic::dates::Digits;
use crate::core::arabic::plural::{self, Counted};
use crate::core::display::{Display, Theme};
use crate::core::font_size::FontSize;

/// How long a rendered article page is served before it is rendered again.
pub const ARTICLE_PAGE_TTL: Duration = Duration::from_secs(5);
/// Past this age a page is not served even while another request renders it again.
const STALE_LIMIT: Duration = Duration::from_secs(20);
/// If a request that took on re-rendering an expired page has not finished after this
/// long (it failed), another request may try.
const REFRESH_RETRY_MS: u64 = 1_000;
/// Memory for rendered pages (about 20 KB each, with room for the compressed copy): 200
/// pages, more than are read twice within the 5 s a page is kept (the long tail is read
/// once and gains nothing from more).
pub const ARTICLE_PAGE_BUDGET: usize = 4 * 1024 * 1024;

/// Stand-ins rendered in place of the view count: digits no article text is expected to
/// hold; a second rendering with the other one checks that (see [`split_article_page`]).
const VIEWS_STAND_IN: i64 = 918_273_645_546_372_819;
const VIEWS_CHECK: i64 = 819_273_645_546_372_918;

/// Values of a split article page's slots, by index.
/// The classes of `<html>`: text size and theme.
const HTML_CLASS: usize = 0;
/// The count as data (`data-views`, JSON-LD).
const VIEWS: usize = 1;
/// The count as readers see it: digits and the noun that agrees with them ("3 مشاهدات",
/// "مشاهدتان"), so the words change with the number and are one slot with it.
const VIEWS_SHOWN: usize = 2;

/// One rendered article page.
#[derive(Debug)]
pub struct CachedArticle {
    /// `views` as read from the database when the page was rendered.
    pub stored_views: i64,
    page: SplitPage,
    generation: u64,
    made: Instant,
    /// When (ms since the cache's epoch) a request took on rendering this page again; 0: none.
    refresh_claimed_at: AtomicU64,
}

/// What [`ArticlePageCache::lookup`] found.
pub enum Lookup {
    /// Serve it.
    Fresh(Arc<CachedArticle>),
    /// Expired, and this request renders it again (serving this one if that fails).
    Refresh(Arc<CachedArticle>),
    /// Not there: render it.
    Miss,
}

#[derive(Debug)]
pub struct ArticlePageCache {
    ttl: Duration,
    budget: usize,
    epoch: Instant,
    /// Bumped by every change to articles or sections: older pages are never served.
    generation: AtomicU64,
    entries: RwLock<Entries>,
    stats: CacheStats,
    /// How many slots a correctly cut article page has, learnt from the first page cut
    /// (and checked then against a second rendering); see [`Self::split`].
    verified_slots: OnceLock<usize>,
}

#[derive(Debug, Default)]
struct Entries {
    pages: HashMap<ArticleId, Arc<CachedArticle>>,
    /// Pages in the order they were stored, oldest first (with entries of pages since
    /// replaced or removed, skipped when met): eviction takes from the front, in O(1).
    order: VecDeque<(ArticleId, Instant)>,
    bytes: usize,
}

impl Entries {
    /// Whether `(id, made)` in `order` is still the page kept for `id`.
    fn is_current(&self, id: ArticleId, made: Instant) -> bool {
        self.pages.get(&id).is_some_and(|page| page.made == made)
    }
}

impl Default for ArticlePageCache {
    fn default() -> Self {
        ArticlePageCache::new(ARTICLE_PAGE_TTL, ARTICLE_PAGE_BUDGET)
    }
}

impl ArticlePageCache {
    /// `ttl` zero: nothing is kept (every request renders the page).
    pub fn new(ttl: Duration, budget: usize) -> Self {
        ArticlePageCache {
            ttl,
            budget,
            epoch: Instant::now(),
            generation: AtomicU64::new(1),
            entries: RwLock::new(Entries::default()),
            verified_slots: OnceLock::new(),
            stats: CacheStats::default(),
        }
    }

    /// Read it before reading the article from the database, and pass it to [`Self::store`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Hits (fresh or refreshing) and misses of [`Self::lookup`].
    pub fn stats(&self) -> &CacheStats {
        &self.stats
    }

    pub fn lookup(&self, id: ArticleId) -> Lookup {
        let found = self.find(id);
        match found {
            Lookup::Miss => self.stats.miss(),
            _ => self.stats.hit(),
        }
        found
    }

    fn find(&self, id: ArticleId) -> Lookup {
        if self.ttl.is_zero() {
            return Lookup::Miss;
        }
        let generation = self.generation();
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let Some(entry) = entries.pages.get(&id) else {
            return Lookup::Miss;
        };
        let age = entry.made.elapsed();
        if entry.generation != generation || age >= STALE_LIMIT {
            return Lookup::Miss;
        }
        if age < self.ttl {
            return Lookup::Fresh(entry.clone());
        }
        let now = (self.epoch.elapsed().as_millis() as u64).max(1);
        let claimed = entry.refresh_claimed_at.load(Ordering::Acquire);
        let claimable = claimed == 0 || now.saturating_sub(claimed) >= REFRESH_RETRY_MS;
        if claimable
            && entry
                .refresh_claimed_at
                .compare_exchange(claimed, now, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            Lookup::Refresh(entry.clone())
        } else {
            Lookup::Fresh(entry.clone())
        }
    }

    /// Keeps a page rendered from what the database held at `generation` (unless articles
    /// changed since), and returns it.
    pub fn store(
        &self,
        id: ArticleId,
        generation: u64,
        stored_views: i64,
        page: SplitPage,
    ) -> Arc<CachedArticle> {
        let entry = Arc::new(CachedArticle {
            stored_views,
            page,
            generation,
            made: Instant::now(),
            refresh_claimed_at: AtomicU64::new(0),
        });
        let size = entry.page.size();
        if size > self.budget || self.ttl.is_zero() {
            return entry;
        }
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        // Checked under the lock that `invalidate` clears under: a page read before a change
        // never lands after it.
        if generation != self.generation() {
            return entry;
        }
        if let Some(old) = entries.pages.insert(id, entry.clone()) {
            entries.bytes -= old.page.size();
        }
        entries.order.push_back((id, entry.made));
        entries.bytes += size;
        Self::evict(&mut entries, self.budget);
        entry
    }

    /// Forgets one page (its article is gone).
    pub fn remove(&self, id: ArticleId) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(old) = entries.pages.remove(&id) {
            entries.bytes -= old.page.size();
        }
    }

    /// Drops every page: an article or a section changed.
    pub fn invalidate(&self) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.pages.clear();
        entries.order.clear();
        entries.bytes = 0;
    }

    /// The oldest pages (the expired ones among them) until the pages fit the budget.
    fn evict(entries: &mut Entries, budget: usize) {
        while entries.bytes > budget {
            let Some((id, made)) = entries.order.pop_front() else {
                break;
            };
            if entries.is_current(id, made)
                && let Some(old) = entries.pages.remove(&id)
            {
                entries.bytes -= old.page.size();
            }
        }
        // Entries of replaced pages pile up while the cache is under budget (a hot page
        // is stored again every few seconds): drop them once they outnumber the pages.
        if entries.order.len() > 2 * entries.pages.len() + 64 {
            let Entries { pages, order, .. } = entries;
            order.retain(|(id, made)| pages.get(id).is_some_and(|page| page.made == *made));
        }
    }

    /// Bytes the kept pages take, as the budget counts them (for tests).
    pub fn bytes(&self) -> usize {
        self.entries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .bytes
    }

    /// How many pages are kept (for tests).
    pub fn len(&self) -> usize {
        self.entries
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .pages
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl ArticlePageCache {
    /// Renders an article page through `render(views, display)` and cuts it around the
    /// view count (as data, and as shown in `digits`) and the font-size class. Returns None
    /// if the page cannot be cut safely (then it is rendered per request).
    ///
    /// One rendering per page: the template prints the count the same number of times on
    /// every article page, so a page with more stand-ins than that holds one in its own
    /// text, and is not cut. That number is learnt from the first page this process cuts,
    /// whose cut is checked against a second rendering with other values (which also
    /// catches a template showing the count in a form the cut does not know).
    pub fn split<E>(
        &self,
        render: impl Fn(i64, Display) -> Result<String, E>,
        digits: Digits,
    ) -> Result<Option<SplitPage>, E> {
        let page = render(VIEWS_STAND_IN, Display::default())?;
        let Some(split) = cut(&page, digits) else {
            return Ok(None);
        };
        if let Some(&slots) = self.verified_slots.get() {
            return Ok((split.slot_count() == slots).then_some(split));
        }
        let checked = Display {
            font_size: FontSize::LARGEST,
            theme: Theme::Dark,
        };
        let check = render(VIEWS_CHECK, checked)?;
        let values = Values::new(VIEWS_CHECK, checked, digits);
        if split.assemble_identity(&values.as_slots()) != check.as_bytes() {
            return Ok(None);
        }
        let _ = self.verified_slots.set(split.slot_count());
        Ok(Some(split))
    }
}

/// `page` cut around the stand-ins for the count and the font-size class.
fn cut(page: &str, digits: Digits) -> Option<SplitPage> {
    let html_class = Display::default().html_class();
    let views = VIEWS_STAND_IN.to_string();
    let shown = shown_views(VIEWS_STAND_IN, digits);
    let markers = [
        Marker {
            text: &html_class,
            value: HTML_CLASS,
            first_only: true,
        },
        Marker {
            text: &views,
            value: VIEWS,
            first_only: false,
        },
        // Holds the plain number too when the digits are Western: the longer one wins.
        Marker {
            text: &shown,
            value: VIEWS_SHOWN,
            first_only: false,
        },
    ];
    // The fastest level: most article pages of a big archive are asked for once or twice
    // before they expire, and compressing at the default level cost more than sending the
    // few percent it saves (see docs/BENCHMARKS.md, long tail).
    SplitPage::split(page, &markers, Compression::fast())
}

/// The count as the article template shows it.
fn shown_views(views: i64, digits: Digits) -> String {
    Counted::new(views, &plural::VIEWS, digits).html()
}

/// One request's values for the slots.
struct Values {
    html_class: String,
    views: String,
    shown: String,
}

impl Values {
    fn new(views: i64, display: Display, digits: Digits) -> Self {
        Values {
            html_class: display.html_class(),
            views: views.to_string(),
            shown: shown_views(views, digits),
        }
    }

    fn as_slots(&self) -> [&[u8]; 3] {
        let mut slots: [&[u8]; 3] = [&[]; 3];
        slots[HTML_CLASS] = self.html_class.as_bytes();
        slots[VIEWS] = self.views.as_bytes();
        slots[VIEWS_SHOWN] = self.shown.as_bytes();
        slots
    }
}

impl CachedArticle {
    /// The page as sent without compression, with this request's values.
    pub fn identity(&self, views: i64, display: Display, digits: Digits) -> Bytes {
        let values = Values::new(views, display, digits);
        self.page.assemble_identity(&values.as_slots())
    }

    /// The page gzip-compressed (assembled from the pieces, compressed once), with this
    /// request's values; `None` if compressing failed.
    pub fn gzipped(&self, views: i64, display: Display, digits: Digits) -> Option<Bytes> {
        let values = Values::new(views, display, digits);
        self.page.assemble_gzip(&values.as_slots())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_in(digits: Digits) -> impl Fn(i64, Display) -> Result<String, ()> {
        move |views, display: Display| {
            Ok(format!(
                "<html class=\"{}\"><p data-views=\"{views}\">{} — fs-2 في النص</p></html>",
                display.html_class(),
                shown_views(views, digits)
            ))
        }
    }

    fn fake_render(views: i64, font: Display) -> Result<String, ()> {
        render_in(Digits::ArabicIndic)(views, font)
    }

    fn page() -> SplitPage {
        ArticlePageCache::default()
            .split(fake_render, Digits::ArabicIndic)
            .unwrap()
            .expect("splits")
    }

    #[test]
    fn a_split_page_fills_in_views_and_font_size() {
        let split = page();
        let display = Display {
            font_size: FontSize::parse("4").unwrap(),
            theme: Theme::Light,
        };
        let values = Values::new(363, display, Digits::ArabicIndic);
        assert_eq!(
            split.assemble_identity(&values.as_slots()),
            fake_render(363, display).unwrap().into_bytes()
        );
    }

    #[test]
    fn the_words_of_the_count_agree_with_each_request_s_number() {
        for digits in [Digits::Western, Digits::ArabicIndic] {
            let render = render_in(digits);
            let split = ArticlePageCache::default()
                .split(&render, digits)
                .unwrap()
                .expect("splits");
            for views in [0, 1, 2, 3, 11, 103, 363] {
                let values = Values::new(views, Display::default(), digits);
                assert_eq!(
                    split.assemble_identity(&values.as_slots()),
                    render(views, Display::default()).unwrap().into_bytes(),
                    "{views} in {digits:?}"
                );
            }
        }
    }

    #[test]
    fn a_page_holding_the_stand_in_is_not_split() {
        // The article's own text holds the stand-in.
        let render = |views: i64, font: Display| -> Result<String, ()> {
            Ok(fake_render(views, font)? + &format!("<p>{VIEWS_STAND_IN}</p>"))
        };
        // As the first page of a process: caught by the second rendering.
        let cache = ArticlePageCache::default();
        assert!(cache.split(render, Digits::ArabicIndic).unwrap().is_none());
        // Once the cut is learnt: caught by counting, rendered once.
        assert!(
            cache
                .split(fake_render, Digits::ArabicIndic)
                .unwrap()
                .is_some()
        );
        let renders = std::cell::Cell::new(0);
        let counted = |views: i64, font: Display| {
            renders.set(renders.get() + 1);
            render(views, font)
        };
        assert!(cache.split(counted, Digits::ArabicIndic).unwrap().is_none());
        assert_eq!(renders.get(), 1);
    }

    #[test]
    fn after_the_first_page_a_page_is_rendered_once() {
        let cache = ArticlePageCache::default();
        let renders = std::cell::Cell::new(0);
        let counted = |views: i64, font: Display| {
            renders.set(renders.get() + 1);
            fake_render(views, font)
        };
        assert!(cache.split(counted, Digits::ArabicIndic).unwrap().is_some());
        assert_eq!(renders.get(), 2, "the first cut is checked");
        assert!(cache.split(counted, Digits::ArabicIndic).unwrap().is_some());
        assert_eq!(renders.get(), 3, "later ones are not");
    }

    #[test]
    fn pages_expire_and_one_request_renders_again() {
        let cache = ArticlePageCache::new(Duration::from_millis(50), 1 << 20);
        let id = ArticleId::from_db(100_000_000_000_001);
        assert!(matches!(cache.lookup(id), Lookup::Miss));
        cache.store(id, cache.generation(), 7, page());
        assert!(matches!(cache.lookup(id), Lookup::Fresh(p) if p.stored_views == 7));
        std::thread::sleep(Duration::from_millis(60));
        assert!(matches!(cache.lookup(id), Lookup::Refresh(_)));
        assert!(
            matches!(cache.lookup(id), Lookup::Fresh(_)),
            "the others get the old page meanwhile"
        );
    }

    #[test]
    fn a_change_drops_every_page_and_stale_renders_are_not_kept() {
        let cache = ArticlePageCache::default();
        let id = ArticleId::from_db(100_000_000_000_002);
        let before = cache.generation();
        cache.store(id, before, 0, page());
        cache.invalidate();
        assert!(matches!(cache.lookup(id), Lookup::Miss));
        // Rendered from what was read before the change: served once, never kept.
        cache.store(id, before, 0, page());
        assert!(matches!(cache.lookup(id), Lookup::Miss));
        assert!(cache.is_empty());
    }

    #[test]
    fn twenty_thousand_distinct_pages_stay_within_the_budget() {
        let size = page().size();
        let budget = size * 50;
        let cache = ArticlePageCache::new(Duration::from_secs(60), budget);
        let generation = cache.generation();
        for n in 0..20_000 {
            cache.store(
                ArticleId::from_db(100_000_000_000_000 + n),
                generation,
                0,
                page(),
            );
            assert!(cache.bytes() <= budget, "{} bytes after {n}", cache.bytes());
        }
        assert_eq!(cache.len(), 50);
        // One page stored again and again (a hot article) keeps the bookkeeping small.
        for _ in 0..10_000 {
            cache.store(ArticleId::from_db(7), generation, 0, page());
        }
        let entries = cache.entries.read().unwrap();
        assert!(entries.order.len() <= 2 * entries.pages.len() + 64 + 1);
        assert!(cache.bytes() <= budget);
    }

    #[test]
    fn the_budget_keeps_the_newest_pages() {
        let size = page().size();
        let cache = ArticlePageCache::new(Duration::from_secs(60), size * 3);
        for n in 0..10 {
            cache.store(
                ArticleId::from_db(100_000_000_000_000 + n),
                cache.generation(),
                0,
                page(),
            );
        }
        assert_eq!(cache.len(), 3);
        assert!(matches!(
            cache.lookup(ArticleId::from_db(100_000_000_000_009)),
            Lookup::Fresh(_)
        ));
    }
}
