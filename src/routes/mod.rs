//! The route table: the whole URL space in one place.

mod admin;
mod discovery;
mod reader;

use actix_web::{guard, web};

pub fn configure(cfg: &mut web::ServiceConfig) {
    admin::configure(cfg);
    cfg.route("/", web::get().to(reader::home))
        .route(
            "/a/{id}",
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(reader::article),
        )
        .route("/section/{slug}", web::get().to(discovery::section))
        .route(
            "/section/{slug}/feed.xml",
            web::get().to(discovery::section_feed),
        )
        .route("/search", web::get().to(discovery::search))
        .route("/feed.xml", web::get().to(discovery::feed))
        .route("/sitemap.xml", web::get().to(discovery::sitemap))
        .route(
            "/sitemap-{n:[0-9]+}.xml",
            web::get().to(discovery::sitemap_numbered),
        )
        .route("/news-sitemap.xml", web::get().to(discovery::news_sitemap))
        .route("/robots.txt", web::get().to(discovery::robots))
        .route("/font-size", web::get().to(reader::set_font_size))
        .route("/static/{name:.+}", web::get().to(reader::static_asset))
        .route("/healthz", web::get().to(reader::healthz));
}

/// Everything no route matched.
pub async fn not_found() -> Result<actix_web::HttpResponse, crate::error::AppError> {
    Err(crate::error::AppError::NotFound)
}
