//! Managing accounts (admins only): list, create, set a new password.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{page, see_other, signed_in};
use crate::accounts::{self, AccountError};
use crate::admin_pages::{AdminLayout, UsersPage};
use crate::auth::session::{CsrfProtected, Editor, Protected};
use crate::db::users::{self, ROLE_ADMIN, ROLE_EDITOR};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    done: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserForm {
    csrf_token: String,
    username: String,
    password: String,
    role: String,
}

impl CsrfProtected for UserForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

async fn render(
    state: &AppState,
    editor: &Editor,
    status: StatusCode,
    form: Option<&UserForm>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<HttpResponse, AppError> {
    let all = state.db(users::all).await?;
    let dates = &state.site.dates;
    let users = all
        .into_iter()
        .map(|user| {
            let last_login = user.last_login_at.map_or_else(
                || "—".to_owned(),
                |at| {
                    let instant = crate::pages::timestamp_to_utc(at);
                    format!("{} {}", dates.date(instant), dates.time(instant))
                },
            );
            (user, last_login)
        })
        .collect();
    let body = UsersPage {
        layout: AdminLayout::new(&state.site, "المستخدمون", Some(signed_in(editor)), "users"),
        users,
        new_username: form.map(|f| f.username.clone()).unwrap_or_default(),
        new_role: form.map(|f| f.role.clone()).unwrap_or_default(),
        error,
        notice,
    }
    .render()?;
    Ok(page(status, body))
}

pub async fn list(
    editor: Editor,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    editor.require_admin()?;
    let notice = (!query.done.is_empty()).then_some("تم الحفظ.");
    render(&state, &editor, StatusCode::OK, None, None, notice).await
}

pub async fn create(
    protected: Protected<UserForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Protected { editor, form } = protected;
    editor.require_admin()?;
    let role = match form.role.as_str() {
        "admin" => ROLE_ADMIN,
        _ => ROLE_EDITOR,
    };
    let username = form.username.trim().to_owned();
    let password = form.password.clone();
    let outcome = state
        .db(move |conn| Ok(accounts::set_user(conn, &username, &password, role)))
        .await?;
    let message = match outcome {
        Ok(_) => return Ok(see_other("/admin/users?done=1")),
        Err(AccountError::WeakPassword(_)) => {
            "كلمة المرور يجب أن تكون بين 12 و128 حرفًا.".to_owned()
        }
        Err(AccountError::InvalidUsername) => {
            "اسم المستخدم حروف وأرقام و . - _ فقط، بلا مسافات (64 حرفًا على الأكثر).".to_owned()
        }
        Err(e) => return Err(AppError::Internal(e.to_string())),
    };
    render(
        &state,
        &editor,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(&form),
        Some(message),
        None,
    )
    .await
}
