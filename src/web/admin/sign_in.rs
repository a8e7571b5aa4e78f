//! What the two steps of signing in share: where to go afterwards, the nonce that protects
//! forms sent before there is a session, the hand-over from the password to the code, and
//! the end of a successful sign-in.

use actix_web::{HttpRequest, HttpResponse};

use super::respond::{client_address, see_other, set_cookie};
use crate::app::accounts;
use crate::core::UserId;
use crate::core::audit::{Actor, AuditAction};
use crate::core::time::now_timestamp;
use crate::core::token::hash_token;
use crate::runtime::{AppState, login_throttle};
use crate::web::csrf;
use crate::web::error::WebError;
use crate::web::redirect::local_redirect_target;
use crate::web::session::{LOGIN_COOKIE, SESSION_COOKIE, removal_cookie, secret_cookie};

/// The login form stays valid this long after it was shown.
const LOGIN_NONCE_SECONDS: i64 = 2 * 3600;

/// Where to go after signing in: only ever a local admin path.
pub(super) fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_redirect_target)
        .filter(|path| {
            *path == "/admin" || path.starts_with("/admin/") || path.starts_with("/admin?")
        })
        .unwrap_or("/admin")
        .to_owned()
}

pub(super) fn login_nonce(req: &HttpRequest) -> Option<String> {
    req.cookie(LOGIN_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `response`, holding the nonce its form's CSRF token is bound to (sign-in and the
/// reset-link page: forms sent before there is a session).
pub(super) fn with_login_nonce(
    mut response: HttpResponse,
    state: &AppState,
    nonce: &str,
) -> Result<HttpResponse, WebError> {
    let cookie = secret_cookie(
        LOGIN_COOKIE,
        nonce.to_owned(),
        state.auth.secure_cookies,
        LOGIN_NONCE_SECONDS,
    );
    set_cookie(&mut response, &cookie)?;
    Ok(response)
}

/// Names the member between the password and the code.
const CHALLENGE_COOKIE: &str = "sahifa_2fa";
/// The code must follow the password within this time.
const CHALLENGE_SECONDS: i64 = 5 * 60;
const CHALLENGE_PURPOSE: &str = "two-factor-challenge";

fn challenge_value(state: &AppState, user: UserId, issued_at: i64) -> String {
    let claim = format!("{}.{issued_at}", user.get());
    let mac = csrf::token(&state.auth.key, CHALLENGE_PURPOSE, &claim);
    format!("{claim}.{mac}")
}

/// The member whose password was right, if the cookie is ours and fresh.
pub(super) fn challenged_user(req: &HttpRequest, state: &AppState, now: i64) -> Option<UserId> {
    let cookie = req.cookie(CHALLENGE_COOKIE)?;
    let mut parts = cookie.value().splitn(3, '.');
    let (user, issued_at, mac) = (parts.next()?, parts.next()?, parts.next()?);
    let claim = format!("{user}.{issued_at}");
    if !csrf::verify(&state.auth.key, CHALLENGE_PURPOSE, &claim, mac) {
        return None;
    }
    let issued_at: i64 = issued_at.parse().ok()?;
    (0..=CHALLENGE_SECONDS)
        .contains(&(now - issued_at))
        .then(|| UserId::parse(user))
        .flatten()
}

/// After a right password: on to the code, holding who it is for.
pub(super) fn ask_for_code(
    state: &AppState,
    user: UserId,
    next: &str,
    now: i64,
) -> Result<HttpResponse, WebError> {
    let query = serde_urlencoded::to_string([("next", next)])
        .map_err(|e| WebError::Internal(format!("query: {e}")))?;
    let mut response = see_other(&format!("/admin/login/code?{query}"));
    let cookie = secret_cookie(
        CHALLENGE_COOKIE,
        challenge_value(state, user, now),
        state.auth.secure_cookies,
        CHALLENGE_SECONDS,
    );
    set_cookie(&mut response, &cookie)?;
    Ok(response)
}

/// Ends the sign-in of `user` with the session `token`: audited, the throttle's count of
/// their failures cleared, any session the browser held before ended, and on to `next`.
pub(super) async fn signed_in_response(
    req: &HttpRequest,
    state: &AppState,
    user: &crate::core::user::User,
    token: String,
    next: &str,
    how: String,
) -> Result<HttpResponse, WebError> {
    let address = client_address(req);
    login_throttle::record_success(&state.db, &user.username, &address).await?;
    let actor = Actor {
        user: Some(user.id),
        username: user.username.clone(),
        address,
    };
    crate::app::audit::record(&state.db, actor, AuditAction::SignIn, how, now_timestamp()).await?;
    // A session that existed before sign-in (another user's, a planted one) ends here.
    if let Some(previous) = req.cookie(SESSION_COOKIE) {
        accounts::end_session(&state.db, hash_token(previous.value())).await?;
    }
    let secure = state.auth.secure_cookies;
    let mut response = see_other(next);
    let session_cookie = secret_cookie(
        SESSION_COOKIE,
        token,
        secure,
        state.auth.sessions.absolute_seconds,
    );
    for cookie in [
        session_cookie,
        removal_cookie(LOGIN_COOKIE, secure),
        removal_cookie(CHALLENGE_COOKIE, secure),
    ] {
        set_cookie(&mut response, &cookie)?;
    }
    Ok(response)
}
