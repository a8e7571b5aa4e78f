//! What every request handler shares: the database, the view counter, the site's settings,
//! the sections, the caches computed from articles, and what signing in needs.

use std::sync::Arc;

use super::article_pages::ArticlePageCache;
use super::front_pages::FrontPages;
use super::latest_lists::LatestLists;
use super::list_pages::ListPageCache;
use super::most_read::MostReadCache;
use super::secret_key::SecretKey;
use super::section_cache::SectionCache;
use super::view_counter::ViewCounter;
use crate::core::site::Site;
use crate::core::user::SessionPolicy;
use crate::db::Database;

pub struct AppState {
    pub db: Database,
    pub auth: AuthState,
    /// Proxies whose forwarding headers name the client (`--trusted-proxy`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub views: Arc<ViewCounter>,
    pub site: Site,
    pub sections: SectionCache,
    /// "من نحن" and "اتصل بنا", once written.
    pub site_pages: super::site_pages::SitePagesCache,
    /// "الأكثر قراءة", recomputed every few seconds, not per request.
    pub most_read: MostReadCache,
    /// The newsroom's picks for the front page and the breaking-news bar.
    pub curation: super::front_curation::CurationCache,
    /// The newest articles of the site and of each section, which "المزيد" is made from.
    pub latest: LatestLists,
    /// Which bylines each author's address stands for.
    pub bylines: super::bylines::Bylines,
    /// What "أخبار ذات صلة" weighs of each tag.
    pub related: super::related::RelatedArticles,
    /// Home and section pages at any depth.
    pub front_pages: FrontPages,
    /// Rendered (and precompressed) article pages, for a few seconds.
    pub article_pages: ArticlePageCache,
    /// Home and section pages, kept a few seconds (stale with each article change).
    pub list_pages: ListPageCache,
    /// Search result pages, likewise; a few searches at once, more are refused.
    pub search_pages: ListPageCache,
    /// URLs per sitemap document (the protocol's 50,000; fewer in tests).
    pub sitemap_max_urls: i64,
    /// Articles read and sent per step of a sitemap.
    pub sitemap_batch: i64,
    /// Turns to process an uploaded picture: one at a time (a photo takes a core for about
    /// a second; readers need the other).
    pub picture_work: tokio::sync::Semaphore,
    /// The picture files asked for most.
    pub picture_files: super::picture_files::PictureFileCache,
    /// How the change feed is followed (changes made by other instances).
    /// Shared with the thread listening for changes, which must not keep the rest of the
    /// state (the search index and its writer's lock) alive after the server stops.
    pub change_feed: std::sync::Arc<super::feed_health::ChangeFeed>,
}

/// What signing in needs.
pub struct AuthState {
    pub key: SecretKey,
    pub sessions: SessionPolicy,
    /// Cookies get `Secure` when the site is served over https.
    pub secure_cookies: bool,
    /// Admins must sign in with two factors.
    pub require_two_factor: bool,
}

impl AppState {
    /// Called after any change to articles or sections: drops what was computed from them
    /// (the rendered list and search pages go stale with the article pages' generation).
    pub fn article_changed(&self) {
        self.most_read.invalidate();
        self.curation.invalidate();
        self.latest.invalidate();
        self.related.invalidate();
        self.bylines.invalidate();
        self.front_pages.invalidate();
        self.article_pages.invalidate();
    }
}
