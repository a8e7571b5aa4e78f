//! Sessions: a random token in an HttpOnly cookie, its SHA-256 in the `sessions` table.
//! `Editor` is the extractor every admin handler takes: without a live session the request
//! ends in a redirect to the login page. `Protected<T>` adds the checks every state-changing
//! admin form needs: same origin and the session's CSRF token.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::csrf;
use crate::db::users::User;
use crate::db::{self, sessions};
use crate::error::AppError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "sahifa_session";
/// Holds the nonce the login form's CSRF token is bound to, before there is a session.
pub const LOGIN_COOKIE: &str = "sahifa_login";
/// However active, a session ends this long after sign-in.
pub const ABSOLUTE_LIFETIME_SECONDS: i64 = 12 * 3600;
/// `last_seen_at` is written at most this often, not on every admin request.
const TOUCH_EVERY_SECONDS: i64 = 30;

pub const CSRF_PURPOSE_SESSION: &str = "session";
pub const CSRF_PURPOSE_LOGIN: &str = "login";

pub fn hash_token(token: &str) -> String {
    crate::auth::hex(&Sha256::digest(token.as_bytes()))
}

/// A cookie holding a secret: HttpOnly, SameSite=Lax, Path=/, Secure behind https.
pub fn secret_cookie(
    name: &'static str,
    value: String,
    secure: bool,
    max_age_seconds: i64,
) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(CookieDuration::seconds(max_age_seconds))
        .finish()
}

/// Tells the browser to drop a cookie.
pub fn removal_cookie(name: &'static str, secure: bool) -> Cookie<'static> {
    let mut cookie = secret_cookie(name, String::new(), secure, 0);
    cookie.make_removal();
    cookie
}

/// A signed-in member of the newsroom.
pub struct Editor {
    pub user: User,
    /// Hash of the session token, to end this session.
    pub session_hash: String,
    /// The token forms of this session must carry.
    pub csrf_token: String,
}

impl Editor {
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.user.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal("application state missing".to_owned()))
}

/// Where to come back to after signing in: this admin page.
fn login_redirect(req: &HttpRequest) -> AppError {
    let next = if req.method() == actix_web::http::Method::GET {
        req.uri()
            .path_and_query()
            .map_or("/admin", |pq| pq.as_str())
            .to_owned()
    } else {
        "/admin".to_owned()
    };
    AppError::LoginRequired { next }
}

async fn load_editor(req: HttpRequest) -> Result<Editor, AppError> {
    let state = app_state(&req)?;
    let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return Err(login_redirect(&req));
    };
    let session_hash = hash_token(&token);
    let now = db::now_timestamp();
    let idle = state.auth.idle_timeout_seconds;
    let lookup_hash = session_hash.clone();
    let user = state
        .db(move |conn| {
            let Some((session, user)) = sessions::find_with_user(conn, &lookup_hash)? else {
                return Ok(None);
            };
            let idle_expired = now - session.last_seen_at > idle;
            let too_old = now - session.created_at > ABSOLUTE_LIFETIME_SECONDS;
            if idle_expired || too_old {
                sessions::delete(conn, &lookup_hash)?;
                return Ok(None);
            }
            if now - session.last_seen_at >= TOUCH_EVERY_SECONDS {
                sessions::touch(conn, &lookup_hash, now)?;
            }
            Ok(Some(user))
        })
        .await?;
    match user {
        Some(user) => Ok(Editor {
            user,
            csrf_token: csrf::token(&state.auth.key, CSRF_PURPOSE_SESSION, &token),
            session_hash,
        }),
        None => Err(login_redirect(&req)),
    }
}

impl FromRequest for Editor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        Box::pin(load_editor(req.clone()))
    }
}

/// True unless the request says it comes from another site: an `Origin` that is neither
/// this site's base URL nor the host the browser addressed, or `Sec-Fetch-Site: cross-site`.
pub fn is_same_origin(req: &HttpRequest, base_url: &str) -> bool {
    let header_text = |name: header::HeaderName| {
        req.headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or("\u{fffd}").to_owned())
    };
    if header_text(header::HeaderName::from_static("sec-fetch-site")).as_deref()
        == Some("cross-site")
    {
        return false;
    }
    let Some(origin) = header_text(header::ORIGIN) else {
        return true;
    };
    let origin = origin.trim_end_matches('/');
    if origin.eq_ignore_ascii_case(base_url) {
        return true;
    }
    let host = header_text(header::HOST).unwrap_or_default();
    let scheme = req.connection_info().scheme().to_owned();
    !host.is_empty() && origin.eq_ignore_ascii_case(&format!("{scheme}://{host}"))
}

/// A form that carries a CSRF token.
pub trait CsrfProtected {
    fn csrf_token(&self) -> &str;
}

/// A state-changing admin request: signed in, same origin, and the session's CSRF token.
/// Anything else is refused (403) before the handler runs, so nothing can change.
pub struct Protected<T> {
    pub editor: Editor,
    pub form: T,
}

impl<T> FromRequest for Protected<T>
where
    T: DeserializeOwned + CsrfProtected + 'static,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let form = web::Form::<T>::from_request(&req, payload);
        Box::pin(async move {
            let state = app_state(&req)?;
            if !is_same_origin(&req, &state.site.base_url) {
                return Err(AppError::Forbidden.into());
            }
            let editor = load_editor(req.clone()).await?;
            let form = form.await?.into_inner();
            let token = req
                .cookie(SESSION_COOKIE)
                .map(|c| c.value().to_owned())
                .unwrap_or_default();
            if !csrf::verify(
                &state.auth.key,
                CSRF_PURPOSE_SESSION,
                &token,
                form.csrf_token(),
            ) {
                return Err(AppError::Forbidden.into());
            }
            Ok(Protected { editor, form })
        })
    }
}
