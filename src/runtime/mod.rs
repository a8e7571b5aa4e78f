//! In-process state shared by every request: the view counter, "most read", the page
//! caches, the login throttle and the secret key, gathered in [`AppState`].

pub mod article_pages;
pub mod bylines;
pub mod cache_stats;
pub mod change_feed;
pub mod feed_health;
pub mod front_curation;
pub mod front_pages;
pub mod gzip;
pub mod latest_lists;
pub mod list_pages;
pub mod login_throttle;
pub mod most_read;
pub mod pending_views;
pub mod picture_files;
pub mod related;
pub mod secret_key;
pub mod section_cache;
pub mod server_lock;
pub mod site_pages;
pub mod state;
pub mod view_counter;

pub use state::AppState;
