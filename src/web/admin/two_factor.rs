//! Two-factor sign-in over the web: the second step of signing in, and a member's own
//! account page, where it is set up, its recovery codes renewed, or turned off.
//!
//! Between the two steps the browser holds a short-lived signed cookie naming the member
//! whose password was right: no session exists until the code is right too, and the
//! sign-in throttle counts wrong codes like wrong passwords.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::respond::{audit, client_address, page, see_other, signed_in};
use super::sign_in::{
    challenged_user, login_nonce, safe_next, signed_in_response, with_login_nonce,
};
use crate::app::{accounts, two_factor};
use crate::core::UserId;
use crate::core::audit::{Actor, AuditAction};
use crate::core::time::now_timestamp;
use crate::core::token::{hash_token, random_hex};
use crate::core::two_factor::{SecondFactor, TotpCode, TotpSecret};
use crate::runtime::{AppState, login_throttle};
use crate::views::admin::{AccountPage, AdminLayout, Enrolment, LoginCodePage, RecoveryCodesPage};
use crate::web::csrf;
use crate::web::error::WebError;
use crate::web::session::{Admin, CSRF_PURPOSE_LOGIN, Editor, NoFields, Protected, is_same_origin};

const ENROLMENT_PURPOSE: &str = "two-factor-enrolment";
const WRONG_CODE: &str = "الرمز غير صحيح أو مستعمل من قبل. اكتب الرمز الظاهر الآن في التطبيق.";

fn code_page(
    state: &AppState,
    nonce: &str,
    next: String,
    error: Option<&'static str>,
) -> Result<HttpResponse, WebError> {
    let body = LoginCodePage {
        layout: AdminLayout::new(&state.site, "رمز التحقق", None, ""),
        csrf_token: csrf::token(&state.auth.key, CSRF_PURPOSE_LOGIN, nonce),
        next,
        error,
    }
    .render()?;
    with_login_nonce(page(StatusCode::OK, body), state, nonce)
}

#[derive(Deserialize)]
pub struct CodeQuery {
    next: Option<String>,
}

pub async fn code_form(
    req: HttpRequest,
    query: web::Query<CodeQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    if challenged_user(&req, &state, now_timestamp()).is_none() {
        return Ok(see_other("/admin/login"));
    }
    let nonce = login_nonce(&req).unwrap_or_else(|| random_hex(16));
    code_page(&state, &nonce, safe_next(query.next.as_deref()), None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    csrf_token: String,
    code: String,
    next: String,
}

pub async fn code_submit(
    req: HttpRequest,
    form: web::Form<CodeForm>,
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
    let now = now_timestamp();
    let next = safe_next(Some(&form.next));
    let Some(user_id) = challenged_user(&req, &state, now) else {
        return Ok(see_other("/admin/login"));
    };
    let Some(user) = accounts::user(&state.db, user_id).await? else {
        return Ok(see_other("/admin/login"));
    };
    let address = client_address(&req);
    // The same throttle as the password: five wrong codes lock the account for a while.
    if let Some(retry_after_seconds) =
        login_throttle::retry_after(&state.db, &user.username, &address, now).await?
    {
        return Err(WebError::TooManyRequests {
            retry_after_seconds,
        });
    }
    let token = random_hex(32);
    let outcome = match SecondFactor::parse(&form.code) {
        Some(factor) => Some(
            two_factor::second_step(
                &state.db,
                user_id,
                factor,
                hash_token(&token),
                state.auth.sessions,
                now,
            )
            .await?,
        ),
        None => None,
    };
    match outcome {
        Some(two_factor::SecondStep::Started(user, method)) => {
            let how = match method {
                two_factor::Method::App => "بخطوتين".to_owned(),
                two_factor::Method::RecoveryCode { left } => {
                    format!("بخطوتين، برمز استرداد (بقي {left})")
                }
            };
            signed_in_response(&req, &state, &user, token, &next, how).await
        }
        Some(two_factor::SecondStep::NoAccount) => Ok(see_other("/admin/login")),
        Some(two_factor::SecondStep::Refused(_)) | None => {
            let actor = Actor {
                user: Some(user.id),
                username: user.username.clone(),
                address: address.clone(),
            };
            crate::app::audit::record(
                &state.db,
                actor,
                AuditAction::SignInFailed,
                "رمز التحقق".to_owned(),
                now,
            )
            .await?;
            login_throttle::record_failure(&state.db, &user.username, &address, now).await?;
            code_page(&state, &nonce, next, Some(WRONG_CODE))
        }
    }
}

/// What the enrolment form's signature vouches for: this secret was made here, for this
/// member (so a form can't slip in a key of someone else's choosing).
fn enrolment_claim(user: UserId, secret: &TotpSecret) -> String {
    format!("{}.{}", user.get(), secret.as_str())
}

fn enrolment_signature(state: &AppState, user: UserId, secret: &TotpSecret) -> String {
    csrf::token(
        &state.auth.key,
        ENROLMENT_PURPOSE,
        &enrolment_claim(user, secret),
    )
}

fn enrolment(state: &AppState, user: &crate::core::user::User, secret: TotpSecret) -> Enrolment {
    let url = secret.enrolment_url(&state.site.name, &user.username);
    Enrolment {
        signature: enrolment_signature(state, user.id, &secret),
        grouped_secret: secret.grouped(),
        qr_code: crate::views::admin::qr_code_data_uri(&url),
        secret: secret.as_str().to_owned(),
    }
}

async fn account_page(
    state: &AppState,
    member: &Editor,
    status: StatusCode,
    secret: Option<TotpSecret>,
    error: Option<&'static str>,
    notice: Option<&'static str>,
) -> Result<HttpResponse, WebError> {
    let user = member.user.clone();
    let enrolment = match user.two_factor {
        true => None,
        false => Some(enrolment(
            state,
            &user,
            secret.unwrap_or_else(TotpSecret::generate),
        )),
    };
    let recovery_codes_left = match user.two_factor {
        true => two_factor::recovery_codes_left(&state.db, user.id).await?,
        false => 0,
    };
    let body = AccountPage {
        layout: AdminLayout::new(&state.site, "حسابي", Some(signed_in(member)), "account"),
        required: state.auth.require_two_factor && user.is_admin() && !user.two_factor,
        user,
        enrolment,
        recovery_codes_left,
        error,
        notice,
    }
    .render()?;
    Ok(page(status, body))
}

#[derive(Deserialize)]
pub struct AccountQuery {
    done: Option<String>,
}

pub async fn account(
    member: Editor,
    query: web::Query<AccountQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let notice = query.done.as_deref().map(|done| match done {
        "off" => "أُوقف التحقق بخطوتين.",
        _ => "حُفظ.",
    });
    account_page(&state, &member, StatusCode::OK, None, None, notice).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnrolForm {
    secret: String,
    signature: String,
    code: String,
}

fn recovery_codes_page(
    state: &AppState,
    member: &Editor,
    codes: Vec<crate::core::two_factor::RecoveryCode>,
) -> Result<HttpResponse, WebError> {
    let body = RecoveryCodesPage {
        layout: AdminLayout::new(
            &state.site,
            "رموز الاسترداد",
            Some(signed_in(member)),
            "account",
        ),
        codes: codes.iter().map(|code| code.display()).collect(),
    }
    .render()?;
    Ok(page(StatusCode::OK, body))
}

/// Turns two-factor sign-in on, once a code proves the member's app holds the key.
pub async fn enable(
    req: HttpRequest,
    protected: Protected<EnrolForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected { member, form } = protected;
    let user = member.user.id;
    let secret = TotpSecret::parse(form.secret.trim())
        .filter(|secret| {
            let claim = enrolment_claim(user, secret);
            csrf::verify(&state.auth.key, ENROLMENT_PURPOSE, &claim, &form.signature)
        })
        .ok_or(WebError::Forbidden)?;
    if member.user.two_factor {
        return Ok(see_other("/admin/account"));
    }
    let refuse = |secret| {
        account_page(
            &state,
            &member,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(secret),
            Some(WRONG_CODE),
            None,
        )
    };
    let Some(code) = TotpCode::parse(&form.code) else {
        return refuse(secret).await;
    };
    match two_factor::enrol(&state.db, user, secret.clone(), code, now_timestamp()).await? {
        two_factor::Enrolment::Enabled(codes) => {
            audit(
                &req,
                &state,
                &member,
                AuditAction::TwoFactorEnabled,
                String::new(),
            )
            .await?;
            recovery_codes_page(&state, &member, codes)
        }
        two_factor::Enrolment::WrongCode => refuse(secret).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    code: String,
}

/// A code of the member's app now, used up: what turning off or renewing asks for.
async fn confirmed(state: &AppState, member: &Editor, code: &str) -> Result<bool, WebError> {
    let Some(code) = TotpCode::parse(code) else {
        return Ok(false);
    };
    Ok(two_factor::confirm_code(&state.db, member.user.id, code, now_timestamp()).await?)
}

pub async fn disable(
    req: HttpRequest,
    protected: Protected<ConfirmForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected { member, form } = protected;
    if !confirmed(&state, &member, &form.code).await? {
        return account_page(
            &state,
            &member,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(WRONG_CODE),
            None,
        )
        .await;
    }
    two_factor::disable(&state.db, member.user.id).await?;
    audit(
        &req,
        &state,
        &member,
        AuditAction::TwoFactorDisabled,
        String::new(),
    )
    .await?;
    Ok(see_other("/admin/account?done=off"))
}

pub async fn renew_codes(
    req: HttpRequest,
    protected: Protected<ConfirmForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected { member, form } = protected;
    if !confirmed(&state, &member, &form.code).await? {
        return account_page(
            &state,
            &member,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(WRONG_CODE),
            None,
        )
        .await;
    }
    let codes = two_factor::renew_recovery_codes(&state.db, member.user.id).await?;
    audit(
        &req,
        &state,
        &member,
        AuditAction::RecoveryCodesRenewed,
        String::new(),
    )
    .await?;
    recovery_codes_page(&state, &member, codes)
}

/// An admin turns off another member's two factors (a lost phone and no recovery code):
/// they sign in with their password alone until they set it up again.
pub async fn disable_for(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<NoFields, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Admin(admin) = protected.member;
    let id = UserId::parse(&path).ok_or(WebError::NotFound)?;
    let user = accounts::user(&state.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    if two_factor::disable(&state.db, id).await? {
        let target = format!("user {}", user.username);
        audit(&req, &state, &admin, AuditAction::TwoFactorDisabled, target).await?;
    }
    Ok(see_other("/admin/users?done=1"))
}
