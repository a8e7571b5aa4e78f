//! Managing sections (admins only): list, create, rename, delete when empty.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::forms::{DoneQuery, SectionForm};
use super::list_page::{ListPage, Messages, show};
use super::respond::see_other;
use crate::app::sections::{self, CreateOutcome, DeleteOutcome};
use crate::core::SectionId;
use crate::core::section::{check_name, check_slug};
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, SectionsPage};
use crate::web::error::WebError;
use crate::web::session::{Admin, NoFields, Protected};

struct Sections;

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

/// Reloads the menu every page shows.
async fn refresh_cache(state: &AppState) -> Result<(), WebError> {
    state.sections.replace(sections::all(&state.db).await?);
    state.article_changed();
    Ok(())
}

fn done() -> HttpResponse {
    see_other("/admin/sections?done=1")
}

pub async fn list(
    Admin(admin): Admin,
    query: web::Query<DoneQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let messages = Messages::after(&query);
    show::<Sections>(
        &state,
        &admin,
        StatusCode::OK,
        &SectionForm::default(),
        messages,
    )
    .await
}

pub async fn create(
    protected: Protected<SectionForm, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected {
        member: Admin(admin),
        form,
    } = protected;
    let name = form.name.trim().to_owned();
    let slug = form.slug.trim().to_owned();
    if let Err(message) = check_name(&name).and_then(|()| check_slug(&slug)) {
        let messages = Messages::error(message);
        return show::<Sections>(
            &state,
            &admin,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            messages,
        )
        .await;
    }
    match sections::create(&state.db, name, slug).await? {
        CreateOutcome::Created(_) => {
            refresh_cache(&state).await?;
            Ok(done())
        }
        CreateOutcome::SlugTaken => {
            let messages = Messages::error("هذا المعرّف مستخدم لقسم آخر.");
            show::<Sections>(
                &state,
                &admin,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                messages,
            )
            .await
        }
    }
}

fn parse_section_id(raw: &str) -> Result<SectionId, WebError> {
    SectionId::parse(raw).ok_or(WebError::NotFound)
}

pub async fn rename(
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
        let messages = Messages::error(message);
        let empty = SectionForm::default();
        return show::<Sections>(
            &state,
            &admin,
            StatusCode::UNPROCESSABLE_ENTITY,
            &empty,
            messages,
        )
        .await;
    }
    sections::rename(&state.db, id, name).await?;
    refresh_cache(&state).await?;
    Ok(done())
}

pub async fn delete(
    path: web::Path<String>,
    protected: Protected<NoFields, Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Admin(admin) = protected.member;
    let id = parse_section_id(&path)?;
    match sections::delete(&state.db, id).await? {
        DeleteOutcome::Deleted => {
            refresh_cache(&state).await?;
            Ok(done())
        }
        DeleteOutcome::NotEmpty(count) => {
            let messages = Messages::error(format!(
                "لا يمكن حذف قسم فيه أخبار ({count}). انقل أخباره إلى قسم آخر أولًا."
            ));
            let empty = SectionForm::default();
            show::<Sections>(&state, &admin, StatusCode::CONFLICT, &empty, messages).await
        }
    }
}
