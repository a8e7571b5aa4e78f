//! The admins' list pages (sections, users): a table of what exists, a form to add one,
//! and a message after a change. One renderer serves both; each page says what it lists.

use std::future::Future;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::forms::DoneQuery;
use super::respond::{page, signed_in};
use crate::runtime::AppState;
use crate::views::admin::AdminLayout;
use crate::web::error::WebError;
use crate::web::session::{Admin, Editor};

/// What a list page says above its table.
#[derive(Debug, Default)]
pub struct Messages {
    pub error: Option<String>,
    pub notice: Option<&'static str>,
}

/// One admin list page.
pub trait ListPage {
    /// The form that adds an entry, as typed.
    type Form: Default;
    /// The page's heading, and its entry in the admin menu.
    const TITLE: &'static str;
    const MENU: &'static str;

    /// The page's HTML: the list as it is now, the form as typed, the messages.
    fn render(
        state: &AppState,
        layout: AdminLayout<'_>,
        form: &Self::Form,
        messages: Messages,
    ) -> impl Future<Output = Result<String, WebError>>;
}

async fn show<P: ListPage>(
    state: &AppState,
    editor: &Editor,
    status: StatusCode,
    form: &P::Form,
    messages: Messages,
) -> Result<HttpResponse, WebError> {
    let layout = AdminLayout::new(&state.site, P::TITLE, Some(signed_in(editor)), P::MENU);
    let body = P::render(state, layout, form, messages).await?;
    Ok(page(status, body))
}

/// `GET`: the page as it is, saying "saved" after a change redirected here with `?done=1`.
pub async fn list<P: ListPage>(
    Admin(admin): Admin,
    query: web::Query<DoneQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let messages = Messages {
        notice: (!query.done.is_empty()).then_some("تم الحفظ."),
        error: None,
    };
    show::<P>(
        &state,
        &admin,
        StatusCode::OK,
        &P::Form::default(),
        messages,
    )
    .await
}

/// The page again, answering `status`, with `form` as typed and what was wrong.
pub async fn refuse<P: ListPage>(
    state: &AppState,
    admin: &Editor,
    status: StatusCode,
    form: &P::Form,
    error: impl Into<String>,
) -> Result<HttpResponse, WebError> {
    let messages = Messages {
        error: Some(error.into()),
        notice: None,
    };
    show::<P>(state, admin, status, form, messages).await
}
