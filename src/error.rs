//! Error policy. Query functions return diesel's `QueryResult`; handlers return
//! `Result<_, AppError>`; an `AppError` becomes a status code, and the `ErrorHandlers`
//! middleware (`render_error_page`) turns every error response, ours or actix's own (bad
//! query string, body too large…), into an Arabic page inside the site's layout. Internal
//! causes are logged, never shown to readers.

use actix_web::body::EitherBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError, web};
use askama::Template;

use crate::pages::{ErrorPage, Layout};
use crate::prefs::FontSize;
use crate::state::AppState;

#[derive(Debug)]
pub enum AppError {
    NotFound,
    /// No live session: go to the login page, then come back to `next`.
    LoginRequired {
        next: String,
    },
    /// A missing or wrong CSRF token, another site's origin, or a role that may not do this.
    Forbidden,
    /// Too many failed logins; try again in this many seconds.
    TooManyRequests {
        retry_after_seconds: i64,
    },
    /// Something on our side failed; the text is for the log.
    Internal(String),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::NotFound => f.write_str("not found"),
            AppError::LoginRequired { .. } => f.write_str("login required"),
            AppError::Forbidden => f.write_str("forbidden"),
            AppError::TooManyRequests { .. } => f.write_str("too many requests"),
            AppError::Internal(cause) => write!(f, "internal error: {cause}"),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(cause) => tracing::error!(%cause, "request failed"),
            AppError::LoginRequired { next } => {
                let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, format!("/admin/login?{query}")))
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .finish();
            }
            AppError::TooManyRequests {
                retry_after_seconds,
            } => {
                return HttpResponse::TooManyRequests()
                    .insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()))
                    .body("too many requests");
            }
            _ => {}
        }
        // Plain text: render_error_page replaces it with the Arabic page.
        HttpResponse::build(self.status_code()).body(self.status_code().to_string())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Internal(format!("database pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(format!("blocking task: {e}"))
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// Heading and explanation for an error status, in Arabic.
fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        404 => (
            "الصفحة غير موجودة",
            "لم نعثر على ما تبحث عنه. ربما حُذف الخبر أو تغيّر الرابط.",
        ),
        400 => (
            "طلب غير صالح",
            "تعذّر فهم الطلب. تحقّق من الرابط وحاول مرة أخرى.",
        ),
        403 => (
            "غير مسموح",
            "لا يمكن تنفيذ هذا الطلب. أعد تحميل الصفحة وحاول مرة أخرى.",
        ),
        405 => (
            "طريقة غير مسموحة",
            "هذا العنوان لا يقبل هذا النوع من الطلبات.",
        ),
        413 => (
            "المحتوى أكبر من المسموح",
            "حجم ما أرسلته يتجاوز الحد المسموح به. اختصر النص وحاول مرة أخرى.",
        ),
        429 => (
            "محاولات كثيرة",
            "أجريت محاولات كثيرة في وقت قصير. انتظر قليلًا ثم حاول مرة أخرى.",
        ),
        401..=499 => ("تعذّر تنفيذ الطلب", "تحقّق من الرابط وحاول مرة أخرى."),
        503 => (
            "الخدمة غير متاحة مؤقتًا",
            "الموقع مشغول أو قيد الصيانة. حاول مرة أخرى بعد قليل.",
        ),
        _ => (
            "حدث خطأ",
            "حدث خطأ غير متوقع في الخادم. حاول مرة أخرى بعد قليل.",
        ),
    }
}

/// Headers of the original error response that still mean something on the page.
const KEPT_HEADERS: [HeaderName; 4] = [
    header::RETRY_AFTER,
    header::ALLOW,
    header::CACHE_CONTROL,
    header::SET_COOKIE,
];

/// Replaces a non-HTML error response with the Arabic error page. Responses that are
/// already pages (a form shown again with its errors, status 422) pass through untouched.
pub fn render_error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let already_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if already_html {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let (req, original) = res.into_parts();
    let status = original.status();
    let html = match req.app_data::<web::Data<AppState>>() {
        Some(state) => {
            let (heading, message) = describe(status);
            let mut layout = Layout::new(state, FontSize::from_request(&req), Some(heading));
            layout.noindex = true;
            ErrorPage {
                layout,
                heading,
                message,
            }
            .render()
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "error page template failed");
                heading.to_owned()
            })
        }
        None => describe(status).0.to_owned(),
    };
    let mut page = HttpResponse::build(status);
    page.content_type("text/html; charset=utf-8");
    for name in KEPT_HEADERS {
        for value in original.headers().get_all(&name) {
            page.append_header((name.clone(), value.clone()));
        }
    }
    let page = page.body(html);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, page).map_body(|_, body| EitherBody::right(body)),
    ))
}
