//! Signing in and out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::forms::LoginForm;
use super::respond::{audit, client_address, page, see_other, set_cookie, try_again_later};
use super::sign_in::{ask_for_code, login_nonce, safe_next, signed_in_response, with_login_nonce};
use crate::app::accounts;
use crate::core::audit::{Actor, AuditAction};
use crate::core::time::now_timestamp;
use crate::core::token::{hash_token, random_hex};
use crate::runtime::{AppState, login_throttle};
use crate::views::admin::{AdminLayout, LoginPage, ResetPage};
use crate::web::csrf;
use crate::web::error::WebError;
use crate::web::session::{
    CSRF_PURPOSE_LOGIN, NoFields, Protected, SESSION_COOKIE, is_same_origin, removal_cookie,
};

const WRONG_CREDENTIALS: &str = "اسم المستخدم أو كلمة المرور غير صحيحة.";
const UNAVAILABLE: &str = "تعذّر تسجيل الدخول الآن لأن قاعدة البيانات مشغولة؛ حاول بعد قليل.";

fn render(
    state: &AppState,
    nonce: &str,
    username: String,
    next: String,
    error: Option<&'static str>,
) -> Result<HttpResponse, WebError> {
    let body = LoginPage {
        layout: AdminLayout::new(&state.site, "تسجيل الدخول", None, ""),
        csrf_token: csrf::token(&state.auth.key, CSRF_PURPOSE_LOGIN, nonce),
        username,
        next,
        error,
    }
    .render()?;
    with_login_nonce(page(StatusCode::OK, body), state, nonce)
}

/// The sign-in page for an editor whose form arrived after the session ended: what they
/// typed is kept, `message` says so, and signing in leads to `next`, where it comes back.
pub(super) fn sign_in_again(
    req: &HttpRequest,
    state: &AppState,
    next: &str,
    message: &'static str,
) -> Result<HttpResponse, WebError> {
    let nonce = login_nonce(req).unwrap_or_else(|| random_hex(16));
    render(
        state,
        &nonce,
        String::new(),
        safe_next(Some(next)),
        Some(message),
    )
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

pub async fn form(
    req: HttpRequest,
    query: web::Query<LoginQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let nonce = login_nonce(&req).unwrap_or_else(|| random_hex(16));
    render(
        &state,
        &nonce,
        String::new(),
        safe_next(query.next.as_deref()),
        None,
    )
}

pub async fn submit(
    req: HttpRequest,
    form: web::Form<LoginForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let form = form.into_inner();
    if !is_same_origin(&req, &state.site.base_url) {
        return Err(WebError::Forbidden);
    }
    let nonce = login_nonce(&req).ok_or(WebError::Forbidden)?;
    if !csrf::verify(
        &state.auth.key,
        CSRF_PURPOSE_LOGIN,
        &nonce,
        &form.csrf_token,
    ) {
        return Err(WebError::Forbidden);
    }
    let username = form.username.trim().to_owned();
    let address = client_address(&req);
    let now = now_timestamp();
    if let Some(retry_after_seconds) =
        login_throttle::retry_after(&state.db, &username, &address, now).await?
    {
        return Err(WebError::TooManyRequests {
            retry_after_seconds,
        });
    }

    let next = safe_next(Some(&form.next));
    let attempt = check_password(&req, &state, &nonce, username.clone(), form.password, &next);
    match attempt.await {
        // The database can't be written just now (a session is a write): say so, with
        // the name as typed, and nothing counted against the throttle.
        Err(WebError::Busy {
            retry_after_seconds,
        }) => {
            let response = render(&state, &nonce, username, next, Some(UNAVAILABLE))?;
            Ok(try_again_later(response, retry_after_seconds))
        }
        answer => answer,
    }
}

async fn check_password(
    req: &HttpRequest,
    state: &AppState,
    nonce: &str,
    username: String,
    password: String,
    next: &str,
) -> Result<HttpResponse, WebError> {
    let address = client_address(req);
    let now = now_timestamp();
    let token = random_hex(32);
    let signed_in = accounts::sign_in(
        &state.db,
        username.clone(),
        password,
        hash_token(&token),
        state.auth.sessions,
        now,
    )
    .await?;
    let user = match signed_in {
        accounts::SignIn::Started(user) => user,
        accounts::SignIn::CodeNeeded(user) => {
            // The password was right; the throttle forgets nothing until the code is too.
            return ask_for_code(state, user.id, next, now);
        }
        accounts::SignIn::Refused => {
            let actor = Actor {
                user: None,
                username: username.chars().take(64).collect(),
                address: address.clone(),
            };
            crate::app::audit::record(
                &state.db,
                actor,
                AuditAction::SignInFailed,
                String::new(),
                now,
            )
            .await?;
            login_throttle::record_failure(&state.db, &username, &address, now).await?;
            tracing::info!(%address, "failed login");
            return render(
                state,
                nonce,
                username,
                next.to_owned(),
                Some(WRONG_CREDENTIALS),
            );
        }
    };
    signed_in_response(req, state, &user, token, next, String::new()).await
}

pub async fn logout(
    req: HttpRequest,
    protected: Protected<NoFields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let editor = protected.member;
    audit(&req, &state, &editor, AuditAction::SignOut, String::new()).await?;
    accounts::end_session(&state.db, editor.session_hash).await?;
    let mut response = see_other("/admin/login");
    set_cookie(
        &mut response,
        &removal_cookie(SESSION_COOKIE, state.auth.secure_cookies),
    )?;
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

/// The page of a one-time link: the form, or why the link no longer works. Looking at it
/// does not use the link up; only choosing a password does.
fn reset_page(
    state: &AppState,
    nonce: &str,
    username: Option<String>,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<HttpResponse, WebError> {
    let body = ResetPage {
        layout: AdminLayout::new(&state.site, "كلمة مرور جديدة", None, ""),
        csrf_token: csrf::token(&state.auth.key, CSRF_PURPOSE_LOGIN, nonce),
        username,
        error,
    }
    .render()?;
    with_login_nonce(page(status, body), state, nonce)
}

pub async fn reset_form(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let nonce = login_nonce(&req).unwrap_or_else(|| random_hex(16));
    let owner = accounts::reset_link_owner(&state.db, hash_token(&path), now_timestamp()).await?;
    let status = match owner {
        Some(_) => StatusCode::OK,
        None => StatusCode::GONE,
    };
    reset_page(
        &state,
        &nonce,
        owner.map(|user| user.username),
        None,
        status,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    csrf_token: String,
    password: String,
    repeat: String,
}

pub async fn reset_submit(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ResetForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    if !is_same_origin(&req, &state.site.base_url) {
        return Err(WebError::Forbidden);
    }
    let nonce = login_nonce(&req).ok_or(WebError::Forbidden)?;
    if !csrf::verify(
        &state.auth.key,
        CSRF_PURPOSE_LOGIN,
        &nonce,
        &form.csrf_token,
    ) {
        return Err(WebError::Forbidden);
    }
    let token_hash = hash_token(&path);
    let now = now_timestamp();
    let Some(owner) = accounts::reset_link_owner(&state.db, token_hash.clone(), now).await? else {
        return reset_page(&state, &nonce, None, None, StatusCode::GONE);
    };
    let refuse = |message| {
        reset_page(
            &state,
            &nonce,
            Some(owner.username.clone()),
            Some(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if form.password != form.repeat {
        return refuse("كلمتا المرور مختلفتان: اكتبها مرتين كما هي.");
    }
    let outcome = accounts::reset_password(&state.db, token_hash, form.password.clone(), now).await;
    match outcome {
        Ok(accounts::Reset::Done(user)) => {
            let actor = Actor {
                user: Some(user.id),
                username: user.username,
                address: client_address(&req),
            };
            crate::app::audit::record(
                &state.db,
                actor,
                AuditAction::PasswordReset,
                String::new(),
                now,
            )
            .await?;
            Ok(see_other("/admin/login"))
        }
        Ok(accounts::Reset::InvalidLink) => {
            reset_page(&state, &nonce, None, None, StatusCode::GONE)
        }
        Err(crate::app::AppError::InvalidAccount(_)) => {
            refuse("كلمة المرور يجب أن تكون بين 12 و128 حرفًا.")
        }
        Err(e) => Err(e.into()),
    }
}
