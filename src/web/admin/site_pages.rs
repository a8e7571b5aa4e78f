//! The site's own pages ("من نحن", "اتصل بنا"), written by admins at `/admin/pages`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::forms::DoneQuery;
use super::respond::{actor, page, see_other, signed_in};
use crate::app::site_pages::{self, LogoOutcome};
use crate::core::PictureId;
use crate::core::site_pages::{SitePageKind, check_page};
use crate::core::time::now_timestamp;
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, SitePagesForms};
use crate::web::error::WebError;
use crate::web::session::{Admin, Editor, Protected};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LogoForm {
    pub picture: String,
}

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
    typed_logo: Option<&str>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<HttpResponse, WebError> {
    let logo = match typed_logo {
        Some(typed) => typed.to_owned(),
        None => state
            .site_pages
            .logo()
            .map(|p| p.id.to_string())
            .unwrap_or_default(),
    };
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
        logo,
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
    show(&state, &admin, StatusCode::OK, None, None, None, notice).await
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
            return show(
                &state,
                &admin,
                status,
                Some((kind, &form)),
                None,
                error,
                None,
            )
            .await;
        }
    };
    let who = actor(&req, &admin);
    let pages = site_pages::save(&state.db, who, kind, title, body, now_timestamp()).await?;
    state.site_pages.replace(pages);
    state.article_changed();
    Ok(see_other("/admin/pages?done=1"))
}

/// The header's logo: a picture of the library, or the site's name as text.
pub async fn save_logo(
    req: HttpRequest,
    protected: Protected<LogoForm, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected {
        member: Admin(admin),
        form,
    } = protected;
    let refuse = |message: &str| {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        let error = Some(message.to_owned());
        show(
            &state,
            &admin,
            status,
            None,
            Some(&form.picture),
            error,
            None,
        )
    };
    let id = match form.picture.trim() {
        "" => None,
        typed => match PictureId::parse(typed) {
            Some(id) => Some(id),
            None => return refuse("رقم الصورة غير صحيح: انسخه من صفحة الصور.").await,
        },
    };
    let who = actor(&req, &admin);
    match site_pages::set_logo(&state.db, who, id, now_timestamp()).await? {
        LogoOutcome::Set(logo) => {
            state.site_pages.replace_logo(logo);
            state.article_changed();
            Ok(see_other("/admin/pages?done=1"))
        }
        LogoOutcome::NoSuchPicture => refuse("لا توجد في مكتبة الصور صورة بهذا الرقم.").await,
    }
}
