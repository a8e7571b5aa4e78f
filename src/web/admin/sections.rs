//! Managing sections (admins only): list, create, rename, delete when empty.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::forms::SectionForm;
use super::list_page::{ListPage, Messages, refuse};
use super::respond::{audit, see_other};
use crate::app::sections::{self, CreateOutcome, DeleteOutcome};
use crate::core::SectionId;
use crate::core::audit::AuditAction;
use crate::core::section::{check_name, check_slug};
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, SectionsPage};
use crate::web::error::WebError;
use crate::web::session::{Admin, NoFields, Protected};

/// The sections page: each section with its article count, and a form for a new one.
pub struct Sections;

impl ListPage for Sections {
    type Form = SectionForm;
    const TITLE: &'static str = "الأقسام";
    const MENU: &'static str = "sections";

    async fn render(
        state: &AppState,
        layout: AdminLayout<'_>,
        form: &SectionForm,
        messages: Messages,
    ) -> Result<String, WebError> {
        Ok(SectionsPage {
            layout,
            sections: sections::all_with_counts(&state.db).await?,
            new_name: form.name.clone(),
            new_slug: form.slug.clone(),
            error: messages.error,
            notice: messages.notice,
        }
        .render()?)
    }
}

/// Reloads the menu every page shows, and says the change is saved.
async fn saved(state: &AppState) -> Result<HttpResponse, WebError> {
    state.sections.replace(sections::all(&state.db).await?);
    state.article_changed();
    Ok(see_other("/admin/sections?done=1"))
}

pub async fn create(
    req: HttpRequest,
    protected: Protected<SectionForm, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected {
        member: Admin(admin),
        form,
    } = protected;
    let name = form.name.trim().to_owned();
    let slug = form.slug.trim().to_owned();
    let outcome = match check_name(&name).and_then(|()| check_slug(&slug)) {
        Ok(()) => sections::create(&state.db, name, slug).await?,
        Err(message) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return refuse::<Sections>(&state, &admin, status, &form, message).await;
        }
    };
    match outcome {
        CreateOutcome::Created(_) => {
            let target = format!("section {}", form.slug.trim());
            audit(&req, &state, &admin, AuditAction::SectionCreated, target).await?;
            saved(&state).await
        }
        CreateOutcome::SlugTaken => {
            let message = "هذا المعرّف مستخدم لقسم آخر.";
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            refuse::<Sections>(&state, &admin, status, &form, message).await
        }
    }
}

fn parse_section_id(raw: &str) -> Result<SectionId, WebError> {
    SectionId::parse(raw).ok_or(WebError::NotFound)
}

pub async fn rename(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<SectionForm, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected {
        member: Admin(admin),
        form,
    } = protected;
    let id = parse_section_id(&path)?;
    let name = form.name.trim().to_owned();
    if let Err(message) = check_name(&name) {
        let (status, empty) = (StatusCode::UNPROCESSABLE_ENTITY, SectionForm::default());
        return refuse::<Sections>(&state, &admin, status, &empty, message).await;
    }
    sections::rename(&state.db, id, name.clone()).await?;
    let target = format!("section {id}: {name}");
    audit(&req, &state, &admin, AuditAction::SectionRenamed, target).await?;
    saved(&state).await
}

pub async fn delete(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<NoFields, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Admin(admin) = protected.member;
    let id = parse_section_id(&path)?;
    match sections::delete(&state.db, id).await? {
        DeleteOutcome::Deleted => {
            let target = format!("section {id}");
            audit(&req, &state, &admin, AuditAction::SectionDeleted, target).await?;
            saved(&state).await
        }
        DeleteOutcome::NotEmpty(count) => {
            let message =
                format!("لا يمكن حذف قسم فيه أخبار ({count}). انقل أخباره إلى قسم آخر أولًا.");
            let empty = SectionForm::default();
            refuse::<Sections>(&state, &admin, StatusCode::CONFLICT, &empty, message).await
        }
    }
}
