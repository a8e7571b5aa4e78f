//! What admin handlers answer with: a page, a redirect, and the signed-in frame.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header;

use crate::views::admin::SignedIn;
use crate::web::session::Editor;

pub fn page(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// `response` (a form given back as typed) as a 503 to retry after `seconds`: the
/// database could not be written just now.
pub fn try_again_later(mut response: HttpResponse, seconds: i64) -> HttpResponse {
    response.head_mut().status = StatusCode::SERVICE_UNAVAILABLE;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    response
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .finish()
}

pub fn signed_in(editor: &Editor) -> SignedIn {
    SignedIn {
        username: editor.user.username.clone(),
        is_admin: editor.user.is_admin(),
        csrf_token: editor.csrf_token.clone(),
    }
}

pub use crate::web::client_address::client_address;

/// The signed-in member acting through `req`, for the audit log.
pub fn actor(req: &actix_web::HttpRequest, editor: &Editor) -> crate::core::audit::Actor {
    crate::core::audit::Actor {
        user: Some(editor.user.id),
        username: editor.user.username.clone(),
        address: client_address(req),
    }
}

/// Sets `cookie` on `response` (only a malformed cookie, our bug, can fail).
pub fn set_cookie(
    response: &mut HttpResponse,
    cookie: &actix_web::cookie::Cookie<'_>,
) -> Result<(), crate::web::error::WebError> {
    response
        .add_cookie(cookie)
        .map_err(|e| crate::web::error::WebError::Internal(format!("cookie: {e}")))
}

/// Records in the audit log what the signed-in `member` just did through `req`.
pub async fn audit(
    req: &actix_web::HttpRequest,
    state: &crate::runtime::AppState,
    member: &Editor,
    action: crate::core::audit::AuditAction,
    target: String,
) -> Result<(), crate::web::error::WebError> {
    let now = crate::core::time::now_timestamp();
    Ok(crate::app::audit::record(&state.db, actor(req, member), action, target, now).await?)
}
