//! The sections in menu order, kept in memory so that no page queries them.

use std::sync::{Arc, PoisonError, RwLock};

use crate::core::section::Section;

/// Replaced as a whole when an editor changes the sections.
#[derive(Debug, Default)]
pub struct SectionCache(RwLock<Arc<Vec<Section>>>);

impl SectionCache {
    pub fn new(sections: Vec<Section>) -> Self {
        SectionCache(RwLock::new(Arc::new(sections)))
    }

    pub fn all(&self) -> Arc<Vec<Section>> {
        self.0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn replace(&self, sections: Vec<Section>) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(sections);
    }

    pub fn by_slug(&self, slug: &str) -> Option<Section> {
        self.all().iter().find(|s| s.slug == slug).cloned()
    }
}
