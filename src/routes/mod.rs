//! The route table: the whole URL space in one place.

mod reader;

use actix_web::{guard, web};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(reader::home))
        .route(
            "/a/{id}",
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(reader::article),
        )
        .route("/font-size", web::get().to(reader::set_font_size))
        .route("/static/{name:.+}", web::get().to(reader::static_asset))
        .route("/healthz", web::get().to(reader::healthz));
}

/// Everything no route matched.
pub async fn not_found() -> Result<actix_web::HttpResponse, crate::error::AppError> {
    Err(crate::error::AppError::NotFound)
}
