//! The picture files readers ask for most, kept in memory within a byte budget, so that a
//! lead picture on a busy article is not read from the database for every reader. Files
//! are named by a hash of their pixels and never change: nothing goes stale, a file only
//! leaves to make room (oldest first) or when pictures are deleted.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::Bytes;

use super::cache_stats::CacheStats;
use crate::core::picture::Format;

/// Memory for picture files: a few hundred of the sizes pages show.
pub const PICTURE_FILES_BUDGET: usize = 8 * 1024 * 1024;

#[derive(Debug)]
pub struct PictureFileCache {
    budget: usize,
    kept: Mutex<Kept>,
    stats: CacheStats,
}

#[derive(Debug, Default)]
struct Kept {
    files: HashMap<String, (Bytes, Format)>,
    /// Keys in the order they came in.
    order: VecDeque<String>,
    bytes: usize,
}

impl PictureFileCache {
    pub fn new(budget: usize) -> Self {
        PictureFileCache {
            budget,
            kept: Mutex::new(Kept::default()),
            stats: CacheStats::default(),
        }
    }

    fn kept(&self) -> MutexGuard<'_, Kept> {
        // Every change below leaves the maps consistent before it can panic.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn get(&self, key: &str) -> Option<(Bytes, Format)> {
        let found = self.kept().files.get(key).cloned();
        match found {
            Some(_) => self.stats.hit(),
            None => self.stats.miss(),
        }
        found
    }

    pub fn stats(&self) -> &CacheStats {
        &self.stats
    }

    /// Keeps a file, making room by dropping the oldest; a file larger than the budget is
    /// not kept.
    pub fn put(&self, key: String, bytes: Bytes, format: Format) {
        if bytes.len() > self.budget {
            return;
        }
        let mut kept = self.kept();
        if kept.files.contains_key(&key) {
            return;
        }
        while kept.bytes + bytes.len() > self.budget {
            let Some(oldest) = kept.order.pop_front() else {
                break;
            };
            if let Some((dropped, _)) = kept.files.remove(&oldest) {
                kept.bytes -= dropped.len();
            }
        }
        kept.bytes += bytes.len();
        kept.order.push_back(key.clone());
        kept.files.insert(key, (bytes, format));
    }

    /// Drops everything (a picture was deleted: its files must stop being served).
    pub fn clear(&self) {
        *self.kept() = Kept::default();
    }

    /// Bytes kept (tests).
    pub fn bytes(&self) -> usize {
        self.kept().bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_stay_within_the_budget_oldest_leaving_first() {
        let cache = PictureFileCache::new(1000);
        for n in 0..50 {
            cache.put(format!("f{n}"), Bytes::from(vec![0; 300]), Format::Jpeg);
            assert!(cache.bytes() <= 1000);
        }
        assert!(cache.get("f49").is_some() && cache.get("f47").is_some());
        assert!(cache.get("f46").is_none());
        cache.put("big".into(), Bytes::from(vec![0; 1001]), Format::WebP);
        assert!(cache.get("big").is_none());
        cache.clear();
        assert_eq!(cache.bytes(), 0);
        assert!(cache.get("f49").is_none());
    }
}
