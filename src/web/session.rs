//! Sessions as the browser holds them: a random token in an HttpOnly cookie (its SHA-256 is
//! what the database keeps). `Editor` and `Admin` are the extractors admin handlers take:
//! without a live session the request ends in a redirect to the login page, and an editor
//! asking for an admin's page gets 403. `Protected<T, _>` adds the checks every
//! state-changing admin form needs: same origin and the session's CSRF token;
//! `ProtectedUpload<T, _>` the same for a form that may carry a file.

use std::future::Future;
use std::pin::Pin;

use actix_multipart::Multipart;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::csrf;
use super::error::WebError;
use super::multipart::{self, UploadedFile};
use crate::app::accounts;
use crate::core::UserId;
use crate::core::picture::MAX_UPLOAD_BYTES;
use crate::core::time::now_timestamp;
use crate::core::token::hash_token;
use crate::core::user::User;
use crate::runtime::AppState;

pub const SESSION_COOKIE: &str = "sahifa_session";
/// Holds the nonce the login form's CSRF token is bound to, before there is a session.
pub const LOGIN_COOKIE: &str = "sahifa_login";

pub const CSRF_PURPOSE_SESSION: &str = "session";
pub const CSRF_PURPOSE_LOGIN: &str = "login";

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

/// A signed-in admin: an `Editor` whose role allows managing the newsroom.
pub struct Admin(pub Editor);

/// Who may make a request: any signed-in member, or admins only.
pub trait Member: Sized {
    fn admit(editor: Editor) -> Result<Self, WebError>;
}

impl Member for Editor {
    fn admit(editor: Editor) -> Result<Self, WebError> {
        Ok(editor)
    }
}

impl Member for Admin {
    fn admit(editor: Editor) -> Result<Self, WebError> {
        if editor.user.is_admin() {
            Ok(Admin(editor))
        } else {
            Err(WebError::Forbidden)
        }
    }
}

fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, WebError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| WebError::Internal("application state missing".to_owned()))
}

/// Where to come back to after signing in: this admin page.
fn login_redirect(req: &HttpRequest) -> WebError {
    let next = if req.method() == actix_web::http::Method::GET {
        req.uri()
            .path_and_query()
            .map_or("/admin", |pq| pq.as_str())
            .to_owned()
    } else {
        "/admin".to_owned()
    };
    WebError::LoginRequired { next }
}

fn session_token(req: &HttpRequest) -> Option<String> {
    req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned())
}

/// With `--require-2fa`, an admin without a second factor may only set one up (or sign out)
/// until they have.
fn must_set_up_two_factor(state: &AppState, user: &User, path: &str) -> bool {
    state.auth.require_two_factor
        && user.is_admin()
        && !user.two_factor
        && !(path == "/admin/account"
            || path.starts_with("/admin/account/")
            || path == "/admin/logout")
}

async fn load_editor(req: HttpRequest) -> Result<Editor, WebError> {
    let state = app_state(&req)?;
    let Some(token) = session_token(&req) else {
        return Err(login_redirect(&req));
    };
    let session_hash = hash_token(&token);
    let user = accounts::session_user(
        &state.db,
        session_hash.clone(),
        state.auth.sessions,
        now_timestamp(),
    )
    .await?;
    match user {
        Some(user) if must_set_up_two_factor(&state, &user, req.path()) => {
            Err(WebError::TwoFactorRequired)
        }
        Some(user) => Ok(Editor {
            user,
            csrf_token: csrf::token(&state.auth.key, CSRF_PURPOSE_SESSION, &token),
            session_hash,
        }),
        None => Err(login_redirect(&req)),
    }
}

impl FromRequest for Editor {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        Box::pin(load_editor(req.clone()))
    }
}

impl FromRequest for Admin {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Admin::admit(load_editor(req).await?) })
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

/// A submitted admin form: its fields, and the CSRF token every form carries.
#[derive(Deserialize)]
struct WithToken<T> {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: T,
}

/// A form with no fields but the CSRF token (sign-out, delete).
#[derive(Debug, Default, Deserialize)]
pub struct NoFields {}

/// A state-changing admin request: signed in (as `M`: any member, or an admin), same
/// origin, and the session's CSRF token. Anything else is refused (403) before the handler
/// runs, so nothing can change.
pub struct Protected<T, M = Editor> {
    pub member: M,
    pub form: T,
}

/// The checks that come before a state-changing request's body is read: same origin and
/// a live session (so nobody else's upload is ever buffered).
async fn signed_in_same_origin(req: &HttpRequest) -> Result<Editor, WebError> {
    let state = app_state(req)?;
    if !is_same_origin(req, &state.site.base_url) {
        return Err(WebError::Forbidden);
    }
    load_editor(req.clone()).await
}

/// The check after: the form's CSRF token is this session's, and the member may do this.
fn admit_with_token<M: Member>(
    req: &HttpRequest,
    editor: Editor,
    csrf_token: &str,
) -> Result<M, WebError> {
    let state = app_state(req)?;
    let token = session_token(req).unwrap_or_default();
    if !csrf::verify(&state.auth.key, CSRF_PURPOSE_SESSION, &token, csrf_token) {
        return Err(WebError::Forbidden);
    }
    M::admit(editor)
}

impl<T, M> FromRequest for Protected<T, M>
where
    T: DeserializeOwned + 'static,
    M: Member + 'static,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let form = web::Form::<WithToken<T>>::from_request(&req, payload);
        Box::pin(async move {
            let editor = signed_in_same_origin(&req).await?;
            let WithToken { csrf_token, form } = form.await?.into_inner();
            Ok(Protected {
                member: admit_with_token(&req, editor, &csrf_token)?,
                form,
            })
        })
    }
}

/// Text fields of a form with a file, all together: an article's body with room to spare.
const UPLOAD_FORM_TEXT_BUDGET: usize = 2 * 1024 * 1024;

/// A form's fields and its file, as sent: `multipart/form-data` (the file read up to
/// `MAX_UPLOAD_BYTES`), or URL-encoded with no file (within the route's `FormConfig`).
async fn read_form(
    req: &HttpRequest,
    mut payload: Payload,
) -> Result<multipart::MultipartForm, actix_web::Error> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("multipart/form-data"));
    if is_multipart {
        let parts = Multipart::new(req.headers(), payload);
        return multipart::read(parts, UPLOAD_FORM_TEXT_BUDGET, MAX_UPLOAD_BYTES).await;
    }
    let fields = web::Form::<Vec<(String, String)>>::from_request(req, &mut payload).await?;
    Ok(multipart::MultipartForm {
        fields: fields.into_inner(),
        file: None,
    })
}

/// `Protected` for a form that may carry a file. The same checks, the session's before
/// the body is read.
pub struct ProtectedUpload<T, M = Editor> {
    pub member: M,
    pub form: T,
    pub file: Option<UploadedFile>,
}

impl<T: DeserializeOwned, M: Member> ProtectedUpload<T, M> {
    async fn admit(
        req: &HttpRequest,
        editor: Editor,
        payload: Payload,
    ) -> Result<Self, actix_web::Error> {
        let read = read_form(req, payload).await?;
        let WithToken { csrf_token, form } = read.fields_as::<WithToken<T>>()?;
        Ok(ProtectedUpload {
            member: admit_with_token(req, editor, &csrf_token)?,
            form,
            file: read.file,
        })
    }
}

impl<T, M> FromRequest for ProtectedUpload<T, M>
where
    T: DeserializeOwned + 'static,
    M: Member + 'static,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let editor = signed_in_same_origin(&req).await?;
            Self::admit(&req, editor, payload).await
        })
    }
}

/// A form that arrived after its session had ended: what was typed (the CSRF token and
/// any file left out), and whose session it was if that is still on record.
pub struct ExpiredSubmission {
    pub fields: Vec<(String, String)>,
    pub owner: Option<UserId>,
}

/// A form whose text must not be lost: with a live session it is a `ProtectedUpload`;
/// without one (idle limit, signed out elsewhere) its fields are handed over to be kept
/// until the editor signs in again, provided the browser shows it came from this site: an
/// `Origin` or `Sec-Fetch-Site` saying so, or a CSRF token made for the session cookie it
/// still holds. A cross-site post is refused (403) and nothing is kept.
pub enum Submission<T> {
    Live(ProtectedUpload<T>),
    Expired(ExpiredSubmission),
}

/// Whether the browser says positively that this request comes from this site (not just
/// "no sign of another": a request without `Origin` proves nothing).
fn says_same_site(req: &HttpRequest, state: &AppState, csrf_token: &str) -> bool {
    if !is_same_origin(req, &state.site.base_url) {
        return false;
    }
    let fetched_same_origin = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"same-origin");
    let has_origin = req.headers().contains_key(header::ORIGIN);
    let token_of_cookie = session_token(req).is_some_and(|token| {
        csrf::verify(&state.auth.key, CSRF_PURPOSE_SESSION, &token, csrf_token)
    });
    fetched_same_origin || has_origin || token_of_cookie
}

impl<T: DeserializeOwned + 'static> FromRequest for Submission<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let state = app_state(&req)?;
            // Read before the session is checked: checking an expired session ends it.
            let owner = match session_token(&req) {
                Some(token) => accounts::session_owner(&state.db, hash_token(&token))
                    .await
                    .map_err(WebError::from)?,
                None => None,
            };
            match signed_in_same_origin(&req).await {
                Ok(editor) => Ok(Submission::Live(
                    ProtectedUpload::admit(&req, editor, payload).await?,
                )),
                Err(WebError::LoginRequired { .. }) => {
                    let read = read_form(&req, payload).await?;
                    let csrf_token = read
                        .fields
                        .iter()
                        .find(|(name, _)| name == "csrf_token")
                        .map(|(_, value)| value.as_str())
                        .unwrap_or_default();
                    if !says_same_site(&req, &state, csrf_token) {
                        return Err(WebError::Forbidden.into());
                    }
                    let fields = read
                        .fields
                        .into_iter()
                        .filter(|(name, _)| name != "csrf_token")
                        .collect();
                    Ok(Submission::Expired(ExpiredSubmission { fields, owner }))
                }
                Err(e) => Err(e.into()),
            }
        })
    }
}
