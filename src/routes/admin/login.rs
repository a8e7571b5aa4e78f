//! Signing in and out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{CsrfOnly, page, see_other};
use crate::admin_pages::{AdminLayout, LoginPage};
use crate::auth::session::{
    CSRF_PURPOSE_LOGIN, LOGIN_COOKIE, Protected, SESSION_COOKIE, hash_token, is_same_origin,
    removal_cookie, secret_cookie,
};
use crate::auth::{csrf, password};
use crate::db::{self, sessions, users};
use crate::error::AppError;
use crate::prefs;
use crate::state::AppState;

const WRONG_CREDENTIALS: &str = "اسم المستخدم أو كلمة المرور غير صحيحة.";
/// The login form stays valid this long after it was shown.
const LOGIN_NONCE_SECONDS: i64 = 2 * 3600;

/// Where to go after signing in: only ever a local admin path.
fn safe_next(next: Option<&str>) -> String {
    next.and_then(prefs::local_path)
        .filter(|path| {
            *path == "/admin" || path.starts_with("/admin/") || path.starts_with("/admin?")
        })
        .unwrap_or("/admin")
        .to_owned()
}

fn login_nonce(req: &HttpRequest) -> Option<String> {
    req.cookie(LOGIN_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn render(
    state: &AppState,
    nonce: &str,
    username: String,
    next: String,
    error: Option<&'static str>,
) -> Result<HttpResponse, AppError> {
    let body = LoginPage {
        layout: AdminLayout::new(&state.site, "تسجيل الدخول", None, ""),
        csrf_token: csrf::token(&state.auth.key, CSRF_PURPOSE_LOGIN, nonce),
        username,
        next,
        error,
    }
    .render()?;
    let mut response = page(StatusCode::OK, body);
    let cookie = secret_cookie(
        LOGIN_COOKIE,
        nonce.to_owned(),
        state.auth.secure_cookies,
        LOGIN_NONCE_SECONDS,
    );
    response
        .add_cookie(&cookie)
        .map_err(|e| AppError::Internal(format!("cookie: {e}")))?;
    Ok(response)
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

pub async fn form(
    req: HttpRequest,
    query: web::Query<LoginQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let nonce = login_nonce(&req).unwrap_or_else(|| crate::auth::random_hex(16));
    render(
        &state,
        &nonce,
        String::new(),
        safe_next(query.next.as_deref()),
        None,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    csrf_token: String,
    username: String,
    password: String,
    next: String,
}

pub async fn submit(
    req: HttpRequest,
    form: web::Form<LoginForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    if !is_same_origin(&req, &state.site.base_url) {
        return Err(AppError::Forbidden);
    }
    let nonce = login_nonce(&req).ok_or(AppError::Forbidden)?;
    if !csrf::verify(
        &state.auth.key,
        CSRF_PURPOSE_LOGIN,
        &nonce,
        &form.csrf_token,
    ) {
        return Err(AppError::Forbidden);
    }
    let username = form.username.trim().to_owned();
    let address = req
        .peer_addr()
        .map(|addr| addr.ip().to_string())
        .unwrap_or_default();
    let now = db::now_timestamp();
    if let Some(retry_after_seconds) = state.auth.throttle.retry_after(&username, &address, now) {
        return Err(AppError::TooManyRequests {
            retry_after_seconds,
        });
    }

    // Look up and verify in one blocking task. An unknown user is verified against a decoy
    // hash, so both failures take the same time.
    let token = crate::auth::random_hex(32);
    let token_hash = hash_token(&token);
    let lookup_name = username.clone();
    let typed_password = form.password;
    let idle = state.auth.idle_timeout_seconds;
    let signed_in = state
        .db(move |conn| {
            let user = users::find_by_username(conn, &lookup_name)?;
            let valid = password::verify(
                &typed_password,
                user.as_ref().map(|u| u.password_hash.as_str()),
            );
            match user {
                Some(user) if valid => {
                    // Sessions abandoned without signing out are swept here, at the one
                    // moment a new one is made, so the table never grows without bound.
                    sessions::delete_expired(
                        conn,
                        now - idle,
                        now - crate::auth::session::ABSOLUTE_LIFETIME_SECONDS,
                    )?;
                    sessions::create(conn, &token_hash, user.id, now)?;
                    users::record_login(conn, user.id, now)?;
                    Ok(true)
                }
                _ => Ok(false),
            }
        })
        .await?;

    if !signed_in {
        state.auth.throttle.record_failure(&username, &address, now);
        tracing::info!(%address, "failed login");
        return render(
            &state,
            &nonce,
            username,
            safe_next(Some(&form.next)),
            Some(WRONG_CREDENTIALS),
        );
    }
    state.auth.throttle.record_success(&username);
    // A session that existed before sign-in (another user's, a planted one) ends here.
    if let Some(previous) = req.cookie(SESSION_COOKIE) {
        let previous_hash = hash_token(previous.value());
        state
            .db(move |conn| sessions::delete(conn, &previous_hash))
            .await?;
    }
    let secure = state.auth.secure_cookies;
    let mut response = see_other(&safe_next(Some(&form.next)));
    let session_cookie = secret_cookie(
        SESSION_COOKIE,
        token,
        secure,
        crate::auth::session::ABSOLUTE_LIFETIME_SECONDS,
    );
    for cookie in [session_cookie, removal_cookie(LOGIN_COOKIE, secure)] {
        response
            .add_cookie(&cookie)
            .map_err(|e| AppError::Internal(format!("cookie: {e}")))?;
    }
    Ok(response)
}

pub async fn logout(
    protected: Protected<CsrfOnly>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let session_hash = protected.editor.session_hash;
    state
        .db(move |conn| sessions::delete(conn, &session_hash))
        .await?;
    let mut response = see_other("/admin/login");
    response
        .add_cookie(&removal_cookie(SESSION_COOKIE, state.auth.secure_cookies))
        .map_err(|e| AppError::Internal(format!("cookie: {e}")))?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_only_leads_to_local_admin_pages() {
        assert_eq!(
            safe_next(Some("/admin/articles/new")),
            "/admin/articles/new"
        );
        assert_eq!(
            safe_next(Some("/admin?status=draft")),
            "/admin?status=draft"
        );
        for bad in [
            "https://evil.example",
            "//evil.example/admin",
            "/administrator",
            "/",
            "/a/1",
            "/\\evil",
        ] {
            assert_eq!(safe_next(Some(bad)), "/admin", "{bad}");
        }
        assert_eq!(safe_next(None), "/admin");
    }
}
