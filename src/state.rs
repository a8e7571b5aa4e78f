//! What every request handler shares: the pool, the view counter, the site's settings and
//! the (rarely changing) list of sections, kept in memory so no page queries it.

use std::sync::{Arc, PoisonError, RwLock};

use crate::arabic::dates::DateFormatter;
use crate::assets::AssetUrls;
use crate::counter::ViewCounter;
use crate::db::DbPool;
use crate::db::sections::Section;

pub struct AppState {
    pub pool: DbPool,
    pub auth: AuthState,
    pub views: Arc<ViewCounter>,
    pub site: Site,
    pub sections: SectionCache,
    /// "الأكثر قراءة", recomputed every few seconds, not per request.
    pub most_read: crate::most_read::MostReadCache,
    /// Rendered (and precompressed) article pages, for a few seconds.
    pub article_pages: crate::page_cache::ArticlePageCache,
    /// Home and section pages, kept a few seconds (stale with each article change).
    pub list_pages: crate::rendered_pages::RenderedPages,
    /// Search result pages, likewise; at most two searches query the database at once.
    pub search_pages: crate::rendered_pages::RenderedPages,
}

/// What signing in needs.
pub struct AuthState {
    pub key: crate::auth::secret::SecretKey,
    pub throttle: crate::auth::throttle::LoginThrottle,
    pub idle_timeout_seconds: i64,
    /// Cookies get `Secure` when the site is served over https.
    pub secure_cookies: bool,
}

/// Fixed for the life of the process.
pub struct Site {
    pub name: String,
    /// Without a trailing slash.
    pub base_url: String,
    pub dates: DateFormatter,
    pub assets: AssetUrls,
}

impl Site {
    pub fn permalink(&self, article_id: i64) -> String {
        format!("{}/a/{article_id}", self.base_url)
    }
}

/// The sections in menu order; replaced as a whole when an editor changes them.
#[derive(Default)]
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

    pub fn by_id(&self, id: i64) -> Option<Section> {
        self.all().iter().find(|s| s.id == id).cloned()
    }

    pub fn by_slug(&self, slug: &str) -> Option<Section> {
        self.all().iter().find(|s| s.slug == slug).cloned()
    }
}

impl AppState {
    /// Called after any change to articles or sections: drops what was computed from them
    /// (the rendered list and search pages go stale with the article pages' generation).
    pub fn article_changed(&self) {
        self.most_read.invalidate();
        self.article_pages.invalidate();
    }

    /// Runs blocking database work on the blocking thread pool, never on the async executor.
    pub async fn db<T, F>(&self, work: F) -> Result<T, crate::error::AppError>
    where
        F: FnOnce(&mut diesel::SqliteConnection) -> diesel::QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn).map_err(crate::error::AppError::from)
        })
        .await?
    }
}
