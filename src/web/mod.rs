//! The web layer, the only one that speaks actix: the route table (the whole URL space in
//! one place), extractors, forms, errors as responses, gzip, and the handlers, which call
//! one use case each and render its result.

mod admin;
pub mod client_address;
pub mod compression;
pub mod csrf;
pub mod error;
pub mod metrics;
pub mod multipart;
pub mod preferences;
mod reader;
pub mod redirect;
pub mod request_log;
pub mod session;
pub mod slow_clients;

use actix_web::{guard, web};

use self::error::WebError;
use self::reader::{article, feeds, lists, site};

pub fn configure(cfg: &mut web::ServiceConfig) {
    admin::configure(cfg);
    cfg.route("/", web::get().to(lists::home))
        .route(
            "/a/{id}",
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(article::article),
        )
        .route("/section/{slug}", web::get().to(lists::section))
        .route(
            "/section/{slug}/feed.xml",
            web::get().to(feeds::section_feed),
        )
        .route("/search", web::get().to(lists::search))
        .route("/feed.xml", web::get().to(feeds::feed))
        .route("/sitemap.xml", web::get().to(feeds::sitemap))
        .route(
            "/sitemap-{n:[0-9]+}.xml",
            web::get().to(feeds::sitemap_numbered),
        )
        .route("/news-sitemap.xml", web::get().to(feeds::news_sitemap))
        .route("/tags-sitemap.xml", web::get().to(feeds::tags_sitemap))
        .route("/tag/{slug}", web::get().to(lists::tag))
        .route("/tag/{slug}/feed.xml", web::get().to(feeds::tag_feed))
        .route("/author/{slug}", web::get().to(lists::author))
        .route("/about", web::get().to(lists::site_page))
        .route("/contact", web::get().to(lists::site_page))
        .route("/author/{slug}/feed.xml", web::get().to(feeds::author_feed))
        .route("/robots.txt", web::get().to(feeds::robots))
        .route("/font-size", web::get().to(site::set_font_size))
        .route("/theme", web::get().to(site::set_theme))
        .route("/static/{name:.+}", web::get().to(site::static_asset))
        .route("/media/{hash}/{name}", web::get().to(site::media_file))
        .route("/healthz", web::get().to(site::healthz))
        .route("/readyz", web::get().to(site::readyz))
        .route("/metrics", web::get().to(metrics::metrics));
}

/// Everything no route matched.
pub async fn not_found() -> Result<actix_web::HttpResponse, WebError> {
    Err(WebError::NotFound)
}
