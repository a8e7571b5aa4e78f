//! The admins' list pages (sections, users): a table of what exists, a form to add one,
//! and a message after a change. One renderer serves both; each page says what it lists.

use std::future::Future;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use super::forms::DoneQuery;
use super::respond::{page, signed_in};
use crate::runtime::AppState;
use crate::views::admin::AdminLayout;
use crate::web::error::WebError;
use crate::web::session::Editor;

/// What a list page says above its table.
#[derive(Debug, Default)]
pub struct Messages {
    pub error: Option<String>,
    pub notice: Option<&'static str>,
}

impl Messages {
    /// "Saved" after a change redirected here with `?done=1`.
    pub fn after(query: &DoneQuery) -> Self {
        Messages {
            notice: (!query.done.is_empty()).then_some("تم الحفظ."),
            error: None,
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Messages {
            error: Some(message.into()),
            notice: None,
        }
    }
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

/// Renders list page `P` for `editor` with `status`.
pub async fn show<P: ListPage>(
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
