//! The site's own pages ("من نحن", "اتصل بنا"), written by admins at `/admin/pages`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::forms::DoneQuery;
use super::respond::{actor, page, see_other, signed_in};
use crate::app::site_pages;
use crate::core::site_pages::{SitePageKind, check_page};
use crate::core::time::now_timestamp;
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, SitePagesForms};
use crate::web::error::WebError;
use crate::web::session::{Admin, Editor, Protected};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SitePageForm {
    pub title: String,
    pub body: String,
}

async fn show(
    state: &AppState,
    admin: &Editor,
    status: StatusCode,
    typed: Option<(SitePageKind, &SitePageForm)>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<HttpResponse, WebError> {
    let stored = state.site_pages.all();
    let pages = SitePageKind::ALL
        .into_iter()
        .map(|kind| {
            let (title, body) = match typed {
                Some((typed_kind, form)) if typed_kind == kind => {
                    (form.title.clone(), form.body.clone())
                }
                _ => match stored.iter().find(|page| page.kind == kind) {
                    Some(page) => (page.title.clone(), page.body.clone()),
                    None => (kind.default_title().to_owned(), String::new()),
                },
            };
            (kind.slug(), kind.path(), title, body)
        })
        .collect();
    let layout = AdminLayout::new(&state.site, "صفحات الموقع", Some(signed_in(admin)), "pages");
    let body = SitePagesForms {
        layout,
        pages,
        error,
        notice,
    }
    .render()?;
    Ok(page(status, body))
}

pub async fn forms(
    Admin(admin): Admin,
    query: web::Query<DoneQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let notice = (!query.done.is_empty()).then_some("تم الحفظ.");
    show(&state, &admin, StatusCode::OK, None, None, notice).await
}

pub async fn save(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<SitePageForm, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected {
        member: Admin(admin),
        form,
    } = protected;
    let kind = SitePageKind::parse(&path).ok_or(WebError::NotFound)?;
    let (title, body) = match check_page(&form.title, &form.body) {
        Ok(checked) => checked,
        Err(message) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            let error = Some(message.to_owned());
            return show(&state, &admin, status, Some((kind, &form)), error, None).await;
        }
    };
    let who = actor(&req, &admin);
    let pages = site_pages::save(&state.db, who, kind, title, body, now_timestamp()).await?;
    state.site_pages.replace(pages);
    state.article_changed();
    Ok(see_other("/admin/pages?done=1"))
}
