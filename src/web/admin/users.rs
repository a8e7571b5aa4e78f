//! Managing accounts (admins only): list, create, set a new password.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::forms::UserForm;
use super::list_page::{ListPage, Messages, refuse};
use super::respond::{audit, see_other};
use crate::app::{AccountRule, AppError, accounts};
use crate::core::audit::AuditAction;
use crate::core::time::now_timestamp;
use crate::core::time::timestamp_to_utc;
use crate::core::user::Role;
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, UsersPage};
use crate::web::error::WebError;
use crate::web::session::{Admin, Protected};

/// The users page: each account with its last sign-in, and a form for a new one.
pub struct Users;

impl ListPage for Users {
    type Form = UserForm;
    const TITLE: &'static str = "المستخدمون";
    const MENU: &'static str = "users";

    async fn render(
        state: &AppState,
        layout: AdminLayout<'_>,
        form: &UserForm,
        messages: Messages,
    ) -> Result<String, WebError> {
        let dates = &state.site.dates;
        let users = accounts::all_users(&state.db)
            .await?
            .into_iter()
            .map(|user| {
                let last_login = user.last_login_at.map_or_else(
                    || "—".to_owned(),
                    |at| {
                        let instant = timestamp_to_utc(at);
                        format!("{} {}", dates.date(instant), dates.time(instant))
                    },
                );
                (user, last_login)
            })
            .collect();
        Ok(UsersPage {
            layout,
            users,
            new_username: form.username.clone(),
            new_role: form.role.clone(),
            error: messages.error,
            notice: messages.notice,
        }
        .render()?)
    }
}

pub async fn create(
    req: HttpRequest,
    protected: Protected<UserForm, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected {
        member: Admin(admin),
        form,
    } = protected;
    let role = match form.role.as_str() {
        "admin" => Role::Admin,
        _ => Role::Editor,
    };
    let username = form.username.trim().to_owned();
    let outcome =
        accounts::set_user(&state.db, username.clone(), form.password.clone(), role).await;
    let message = match outcome {
        Ok(_) => {
            let target = format!("user {username} ({})", role.as_str());
            audit(&req, &state, &admin, AuditAction::UserSet, target).await?;
            return Ok(see_other("/admin/users?done=1"));
        }
        Err(AppError::InvalidAccount(AccountRule::WeakPassword(_))) => {
            "كلمة المرور يجب أن تكون بين 12 و128 حرفًا."
        }
        Err(AppError::InvalidAccount(AccountRule::InvalidUsername)) => {
            "اسم المستخدم حروف وأرقام و . - _ فقط، بلا مسافات (64 حرفًا على الأكثر)."
        }
        Err(e) => return Err(e.into()),
    };
    refuse::<Users>(
        &state,
        &admin,
        StatusCode::UNPROCESSABLE_ENTITY,
        &form,
        message,
    )
    .await
}

/// Disables (`disable`) or enables the account `path` names: a disabled account's open
/// sessions end at once and it cannot sign in; its articles stay. An admin cannot disable
/// their own account (nobody would be left to enable it, perhaps).
async fn set_access(
    req: &HttpRequest,
    path: &str,
    admin: &crate::web::session::Editor,
    state: &AppState,
    disable: bool,
) -> Result<HttpResponse, WebError> {
    let id = crate::core::UserId::parse(path).ok_or(WebError::NotFound)?;
    if disable && id == admin.user.id {
        return refuse::<Users>(
            state,
            admin,
            StatusCode::CONFLICT,
            &UserForm::default(),
            "لا يمكنك تعطيل حسابك أنت.",
        )
        .await;
    }
    let user = match accounts::set_disabled(&state.db, id, disable, now_timestamp()).await? {
        accounts::AccessChange::Done(user) => user,
        accounts::AccessChange::NoSuchUser => return Err(WebError::NotFound),
    };
    let action = match disable {
        true => AuditAction::UserDisabled,
        false => AuditAction::UserEnabled,
    };
    let target = format!("user {}", user.username);
    audit(req, state, admin, action, target).await?;
    Ok(see_other("/admin/users?done=1"))
}

pub async fn disable(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<crate::web::session::NoFields, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Admin(admin) = protected.member;
    set_access(&req, &path, &admin, &state, true).await
}

pub async fn enable(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<crate::web::session::NoFields, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Admin(admin) = protected.member;
    set_access(&req, &path, &admin, &state, false).await
}

/// Makes a one-time link for the account `path` names to choose a new password, and shows
/// it once to this admin.
pub async fn reset_link(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<crate::web::session::NoFields, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Admin(admin) = protected.member;
    let id = crate::core::UserId::parse(&path).ok_or(WebError::NotFound)?;
    let user = accounts::user(&state.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let token = accounts::reset_link(&state.db, id, now_timestamp()).await?;
    let target = format!("user {}", user.username);
    audit(
        &req,
        &state,
        &admin,
        AuditAction::PasswordResetIssued,
        target,
    )
    .await?;
    let body = crate::views::admin::ResetLinkPage {
        layout: AdminLayout::new(
            &state.site,
            "رابط لتعيين كلمة المرور",
            Some(super::respond::signed_in(&admin)),
            "users",
        ),
        username: user.username,
        link: format!("{}/admin/reset/{token}", state.site.base_url),
    }
    .render()?;
    Ok(super::respond::page(StatusCode::OK, body))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NameForm {
    display_name: String,
}

/// Sets the name the account signs new articles with.
pub async fn display_name(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<NameForm, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected {
        member: Admin(admin),
        form,
    } = protected;
    let id = crate::core::UserId::parse(&path).ok_or(WebError::NotFound)?;
    match accounts::set_display_name(&state.db, id, form.display_name).await {
        Ok(Some(user)) => {
            let target = format!("user {}: {}", user.username, user.display_name);
            audit(&req, &state, &admin, AuditAction::DisplayNameSet, target).await?;
            Ok(see_other("/admin/users?done=1"))
        }
        Ok(None) => Err(WebError::NotFound),
        Err(AppError::InvalidAccount(_)) => {
            refuse::<Users>(
                &state,
                &admin,
                StatusCode::UNPROCESSABLE_ENTITY,
                &UserForm::default(),
                "الاسم الظاهر نص عادي من 100 حرف على الأكثر.",
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes an account that never saved an article; one that did is to be disabled.
pub async fn delete(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<crate::web::session::NoFields, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Admin(admin) = protected.member;
    let id = crate::core::UserId::parse(&path).ok_or(WebError::NotFound)?;
    let empty = UserForm::default();
    let conflict = |message| refuse::<Users>(&state, &admin, StatusCode::CONFLICT, &empty, message);
    if id == admin.user.id {
        return conflict("لا يمكنك حذف حسابك أنت.").await;
    }
    match accounts::delete_user(&state.db, id).await? {
        accounts::Deletion::Deleted(user) => {
            let target = format!("user {}", user.username);
            audit(&req, &state, &admin, AuditAction::UserDeleted, target).await?;
            Ok(see_other("/admin/users?done=1"))
        }
        accounts::Deletion::HasWritten(_) => {
            conflict("لم يُحذف الحساب: حفظ صاحبه أخبارًا، فعطّله بدل حذفه كي تبقى نسخها منسوبة إليه.")
                .await
        }
        accounts::Deletion::NoSuchUser => Err(WebError::NotFound),
    }
}
