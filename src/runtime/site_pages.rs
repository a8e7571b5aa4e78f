//! The site's own pages (about, contact), kept in memory: every page's footer links the
//! written ones, and no page should query for that.

use std::sync::{Arc, PoisonError, RwLock};

use crate::core::site_pages::{SitePage, SitePageKind};

#[derive(Debug, Default)]
pub struct SitePagesCache(RwLock<Arc<Vec<SitePage>>>);

impl SitePagesCache {
    pub fn new(pages: Vec<SitePage>) -> Self {
        SitePagesCache(RwLock::new(Arc::new(pages)))
    }

    pub fn all(&self) -> Arc<Vec<SitePage>> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn replace(&self, pages: Vec<SitePage>) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(pages);
    }

    pub fn get(&self, kind: SitePageKind) -> Option<SitePage> {
        self.all().iter().find(|page| page.kind == kind).cloned()
    }

    /// (path, title) of each written page, in the footer's order.
    pub fn links(&self) -> Vec<(String, String)> {
        let pages = self.all();
        SitePageKind::ALL
            .iter()
            .filter_map(|kind| pages.iter().find(|page| page.kind == *kind))
            .map(|page| (page.kind.path(), page.title.clone()))
            .collect()
    }
}
