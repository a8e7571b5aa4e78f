//! Error policy. Query functions return `db::DbResult`; use cases return
//! `Result<_, app::AppError>`; handlers return `Result<_, WebError>`, and a `WebError`
//! becomes a status code. The `ErrorHandlers` middleware (`render_error_page`) turns every
//! error response, ours or actix's own (bad query string, body too large…), into an Arabic
//! page inside the site's layout. Internal causes are logged, never shown to readers.

use actix_web::body::EitherBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError, web};
use askama::Template;

use super::preferences::display_of;
use crate::app::AppError;
use crate::db::DbError;
use crate::runtime::AppState;
use crate::views::layout::Layout;
use crate::views::reader::ErrorPage;

#[derive(Debug)]
pub enum WebError {
    NotFound,
    /// No live session: go to the login page, then come back to `next`.
    LoginRequired {
        next: String,
    },
    /// The site asks admins for two factors and this one has none yet: set it up first.
    TwoFactorRequired,
    /// A missing or wrong CSRF token, another site's origin, or a role that may not do this.
    Forbidden,
    /// Too many failed logins; try again in this many seconds.
    TooManyRequests {
        retry_after_seconds: i64,
    },
    /// The server is answering as many of these as it will at once; try again soon.
    Busy {
        retry_after_seconds: i64,
    },
    /// Something on our side failed; the text is for the log.
    Internal(String),
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebError::NotFound => f.write_str("not found"),
            WebError::LoginRequired { .. } => f.write_str("login required"),
            WebError::TwoFactorRequired => f.write_str("two-factor sign-in required"),
            WebError::Forbidden => f.write_str("forbidden"),
            WebError::TooManyRequests { .. } => f.write_str("too many requests"),
            WebError::Busy { .. } => f.write_str("busy"),
            WebError::Internal(cause) => write!(f, "internal error: {cause}"),
        }
    }
}

/// So that a response already on its way (a streamed sitemap) can be cut short by one.
impl std::error::Error for WebError {}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::LoginRequired { .. } | WebError::TwoFactorRequired => StatusCode::SEE_OTHER,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            WebError::Internal(cause) => tracing::error!(%cause, "request failed"),
            WebError::LoginRequired { next } => {
                let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, format!("/admin/login?{query}")))
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .finish();
            }
            WebError::TwoFactorRequired => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/admin/account"))
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .finish();
            }
            WebError::TooManyRequests {
                retry_after_seconds,
            }
            | WebError::Busy {
                retry_after_seconds,
            } => {
                return HttpResponse::build(self.status_code())
                    .insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()))
                    .finish();
            }
            _ => {}
        }
        // Plain text: render_error_page replaces it with the Arabic page.
        HttpResponse::build(self.status_code()).body(self.status_code().to_string())
    }
}

/// How long a client is asked to wait when the database is busy or full for a moment.
pub const RETRY_TRANSIENT_SECONDS: i64 = 5;

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => WebError::NotFound,
            e if e.is_transient() => {
                tracing::warn!(error = %e, "the database cannot be written just now");
                WebError::Busy {
                    retry_after_seconds: RETRY_TRANSIENT_SECONDS,
                }
            }
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<DbError> for WebError {
    fn from(e: DbError) -> Self {
        WebError::from(AppError::from(e))
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(format!("template: {e}"))
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
    // A page of its own, or an answer for machines (`/readyz`): kept as it is.
    let already_answered = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if already_answered {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let (req, original) = res.into_parts();
    let status = original.status();
    let html = match req.app_data::<web::Data<AppState>>() {
        Some(state) => {
            let (heading, message) = describe(status);
            let mut layout = Layout::new(
                &state.site,
                state.sections.all(),
                display_of(&req),
                Some(heading),
            );
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
