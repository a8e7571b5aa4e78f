//! The site's own pages (about, contact) and its logo, kept in memory: every page's footer
//! links the written pages and its header shows the logo, and no page should query for that.

use std::sync::{Arc, PoisonError, RwLock};

use crate::core::picture::Picture;
use crate::core::site_pages::{SitePage, SitePageKind};

#[derive(Debug, Default)]
pub struct SitePagesCache {
    pages: RwLock<Arc<Vec<SitePage>>>,
    /// The picture the header shows instead of the site's name, if one was chosen.
    logo: RwLock<Option<Picture>>,
}

impl SitePagesCache {
    pub fn new(pages: Vec<SitePage>, logo: Option<Picture>) -> Self {
        SitePagesCache {
            pages: RwLock::new(Arc::new(pages)),
            logo: RwLock::new(logo),
        }
    }

    pub fn all(&self) -> Arc<Vec<SitePage>> {
        self.pages
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn replace(&self, pages: Vec<SitePage>) {
        *self.pages.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(pages);
    }

    pub fn logo(&self) -> Option<Picture> {
        self.logo
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn replace_logo(&self, logo: Option<Picture>) {
        *self.logo.write().unwrap_or_else(PoisonError::into_inner) = logo;
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
