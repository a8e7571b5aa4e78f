//! Short-lived copies of rendered list pages (home, sections, search), so that a busy
//! moment renders each page once every few seconds instead of once per reader.
//!
//! A page is kept for `ttl` (zero turns the cache off: tests that write rows straight into
//! the database see them at once). Any change made through the newsroom bumps the article
//! cache's generation (`runtime::AppState::article_changed`), which makes every copy stale at once.
//! Misses are rendered by at most `concurrent_renders` requests at a time; the others wait
//! and then find the page their predecessor rendered, so a burst of identical requests
//! costs one database query, and a flood of distinct ones (searches) cannot take every
//! database connection from the article pages.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::Semaphore;

use super::cache_stats::CacheStats;

/// How long a rendered list page is shown: scheduled articles appear within this time;
/// anything saved in the newsroom appears at once.
pub const LIST_PAGE_TTL: Duration = Duration::from_secs(2);

/// Above this many bytes of pages (with their keys) the cache is emptied: `?page=` and
/// search queries are unbounded, and a crawler walking every page must not grow memory.
pub const BUDGET_BYTES: usize = 4 * 1024 * 1024;

pub struct ListPageCache {
    ttl: Duration,
    pages: Mutex<Pages>,
    renders: Semaphore,
    when_busy: WhenBusy,
    stats: CacheStats,
}

/// What a miss does when every render slot is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenBusy {
    /// Waits for a slot (home and section pages: few distinct pages, soon rendered).
    Wait,
    /// Waits this long at most, then is refused (searches: a flood of distinct queries
    /// must not queue up until readers time out; they are told to come back instead).
    Refuse { after: Duration },
}

#[derive(Default)]
struct Pages {
    by_key: HashMap<String, Page>,
    bytes: usize,
}

struct Page {
    rendered_at: Instant,
    generation: u64,
    html: Bytes,
}

impl ListPageCache {
    /// Requests answered from a kept page, and requests that had to render (or were
    /// refused a render slot).
    pub fn stats(&self) -> &CacheStats {
        &self.stats
    }

    /// The bytes of the pages (and their keys) held now.
    pub fn bytes(&self) -> usize {
        self.pages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .bytes
    }

    /// At most `concurrent_renders` misses render at once (a refusing cache may have
    /// none: then it refuses every miss).
    pub fn new(ttl: Duration, concurrent_renders: usize, when_busy: WhenBusy) -> Self {
        let slots = match when_busy {
            WhenBusy::Wait => concurrent_renders.max(1),
            WhenBusy::Refuse { .. } => concurrent_renders,
        };
        ListPageCache {
            ttl,
            pages: Mutex::new(Pages::default()),
            renders: Semaphore::new(slots),
            when_busy,
            stats: CacheStats::default(),
        }
    }

    fn fresh(&self, key: &str, generation: u64) -> Option<Bytes> {
        let pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        pages
            .by_key
            .get(key)
            .filter(|page| page.generation == generation && page.rendered_at.elapsed() < self.ttl)
            .map(|page| page.html.clone())
    }

    fn keep(&self, key: String, generation: u64, html: Bytes) {
        let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        let size = key.len() + html.len();
        if pages.bytes + size > BUDGET_BYTES {
            pages.by_key.clear();
            pages.bytes = 0;
        }
        let page = Page {
            rendered_at: Instant::now(),
            generation,
            html,
        };
        if let Some(old) = pages.by_key.insert(key.clone(), page) {
            pages.bytes -= key.len() + old.html.len();
        }
        pages.bytes += size;
    }

    /// The page under `key`, rendered by `render` when there is no fresh copy; `None`
    /// when a refusing cache has no slot free. Errors (a 404 for a page past the end) are
    /// never kept.
    pub async fn get_or_render<F, Fut, E>(
        &self,
        key: String,
        generation: u64,
        render: F,
    ) -> Result<Option<Bytes>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, E>>,
    {
        if let Some(html) = self.fresh(&key, generation) {
            self.stats.hit();
            return Ok(Some(html));
        }
        self.stats.miss();
        let _turn = match self.when_busy {
            // The semaphore is never closed, so acquiring only fails if it were: then
            // render without waiting for a turn rather than fail the request.
            WhenBusy::Wait => self.renders.acquire().await.ok(),
            WhenBusy::Refuse { after } => {
                match tokio::time::timeout(after, self.renders.acquire()).await {
                    Ok(Ok(turn)) => Some(turn),
                    _ => return Ok(None),
                }
            }
        };
        // Whoever held the turn before may have rendered this very page.
        if let Some(html) = self.fresh(&key, generation) {
            return Ok(Some(html));
        }
        let html = Bytes::from(render().await?);
        if !self.ttl.is_zero() {
            self.keep(key, generation, html.clone());
        }
        Ok(Some(html))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn render_count(
        cache: &ListPageCache,
        key: &str,
        generation: u64,
        counter: &Cell<u32>,
    ) -> String {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let html = runtime
            .block_on(cache.get_or_render(key.to_owned(), generation, || async {
                counter.set(counter.get() + 1);
                Ok::<_, ()>(format!("page {}", counter.get()))
            }))
            .unwrap()
            .unwrap();
        String::from_utf8(html.to_vec()).unwrap()
    }

    #[test]
    fn a_fresh_page_is_rendered_once() {
        let cache = ListPageCache::new(Duration::from_secs(60), 2, WhenBusy::Wait);
        let renders = Cell::new(0);
        assert_eq!(render_count(&cache, "/", 1, &renders), "page 1");
        assert_eq!(render_count(&cache, "/", 1, &renders), "page 1");
        assert_eq!(render_count(&cache, "/?page=2", 1, &renders), "page 2");
    }

    #[test]
    fn a_new_generation_makes_every_page_stale() {
        let cache = ListPageCache::new(Duration::from_secs(60), 2, WhenBusy::Wait);
        let renders = Cell::new(0);
        render_count(&cache, "/", 1, &renders);
        assert_eq!(render_count(&cache, "/", 2, &renders), "page 2");
    }

    #[test]
    fn thousands_of_distinct_pages_stay_within_the_budget() {
        let cache = ListPageCache::new(Duration::from_secs(60), 2, WhenBusy::Wait);
        let renders = Cell::new(0);
        for n in 0..5_000 {
            render_count(
                &cache,
                &format!("/?page={n}{}", "x".repeat(2_000)),
                1,
                &renders,
            );
            assert!(cache.pages.lock().unwrap().bytes <= BUDGET_BYTES);
        }
        let pages = cache.pages.lock().unwrap();
        let counted: usize = pages
            .by_key
            .iter()
            .map(|(k, p)| k.len() + p.html.len())
            .sum();
        assert_eq!(counted, pages.bytes);
    }

    #[test]
    fn a_zero_lifetime_keeps_nothing() {
        let cache = ListPageCache::new(Duration::ZERO, 2, WhenBusy::Wait);
        let renders = Cell::new(0);
        render_count(&cache, "/", 1, &renders);
        assert_eq!(render_count(&cache, "/", 1, &renders), "page 2");
    }

    #[test]
    fn errors_are_not_kept() {
        let cache = ListPageCache::new(Duration::from_secs(60), 2, WhenBusy::Wait);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let failed =
            runtime.block_on(cache.get_or_render("/x".into(), 1, || async { Err("not found") }));
        assert_eq!(failed, Err("not found"));
        let renders = Cell::new(0);
        assert_eq!(render_count(&cache, "/x", 1, &renders), "page 1");
    }

    #[test]
    fn a_refusing_cache_without_a_free_slot_refuses_misses_but_serves_fresh_pages() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let after = Duration::from_millis(20);
        let cache = ListPageCache::new(Duration::from_secs(60), 1, WhenBusy::Refuse { after });
        let rendered = runtime
            .block_on(cache.get_or_render("/a".into(), 1, || async { Ok::<_, ()>("a".into()) }));
        assert_eq!(rendered, Ok(Some(Bytes::from("a"))));
        let _taken = cache.renders.try_acquire().unwrap();
        let refused = runtime
            .block_on(cache.get_or_render("/b".into(), 1, || async { Ok::<_, ()>("b".into()) }));
        assert_eq!(refused, Ok(None));
        let kept = runtime
            .block_on(cache.get_or_render("/a".into(), 1, || async { Ok::<_, ()>("x".into()) }));
        assert_eq!(kept, Ok(Some(Bytes::from("a"))));
    }
}
