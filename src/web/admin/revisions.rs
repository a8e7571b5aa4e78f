//! An article's revisions: the list, the word-level difference of two, and restoring one
//! (saved as a new revision, with the same version check as any edit).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::respond::{actor, page, see_other, signed_in};
use crate::app::newsroom::{self, Edit, UpdateOutcome};
use crate::app::pictures;
use crate::core::article::ArticleInput;
use crate::core::revision::Revision;
use crate::core::time::now_timestamp;
use crate::core::{ArticleId, RevisionId, markdown};
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, ComparePage, FieldDiff, RevisionLine, RevisionsPage};
use crate::web::error::WebError;
use crate::web::session::{Editor, Protected};

fn article_id(raw: &str) -> Result<ArticleId, WebError> {
    ArticleId::parse(raw).ok_or(WebError::NotFound)
}

async fn list_page(
    state: &AppState,
    editor: &Editor,
    id: ArticleId,
    status: StatusCode,
    error: Option<&'static str>,
) -> Result<HttpResponse, WebError> {
    let article = newsroom::editable_article(&state.db, id).await?;
    let revisions = newsroom::revisions(&state.db, id).await?;
    let body = RevisionsPage {
        layout: AdminLayout::new(
            &state.site,
            "النسخ المحفوظة",
            Some(signed_in(editor)),
            "articles",
        ),
        article_id: id,
        title: article.title,
        version: article.version,
        revisions: RevisionLine::list(&revisions, &state.site),
        error,
    }
    .render()?;
    Ok(page(status, body))
}

pub async fn list(
    editor: Editor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = article_id(&path)?;
    list_page(&state, &editor, id, StatusCode::OK, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CompareQuery {
    from: String,
    to: String,
}

/// Two revisions side by side, word by word: by default the one before the current and
/// the current; the older of the two chosen is always the "from".
pub async fn compare(
    editor: Editor,
    path: web::Path<String>,
    query: web::Query<CompareQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = article_id(&path)?;
    let revisions = newsroom::revisions(&state.db, id).await?;
    let lines = RevisionLine::list(&revisions, &state.site);
    let position = |raw: &str, default: usize| match RevisionId::parse(raw) {
        Some(wanted) => revisions.iter().position(|r| r.id == wanted),
        None => (default < revisions.len()).then_some(default),
    };
    let (Some(a), Some(b)) = (position(&query.from, 1), position(&query.to, 0)) else {
        return Err(WebError::NotFound);
    };
    // Newest first: the larger position is the older revision.
    let (older, newer) = if a >= b { (a, b) } else { (b, a) };
    let (old, new): (&Revision, &Revision) = (&revisions[older], &revisions[newer]);
    let sections = state.sections.all();
    let section_name = |revision: &Revision| {
        sections
            .iter()
            .find(|s| s.id == revision.section_id)
            .map_or_else(|| "قسم محذوف".to_owned(), |s| s.name.clone())
    };
    let when = |revision: &Revision| {
        state
            .site
            .dates
            .date_time(crate::core::time::timestamp_to_utc(revision.published_at))
    };
    let fields = vec![
        FieldDiff::new("العنوان", &old.title, &new.title),
        FieldDiff::new("الملخص", &old.summary, &new.summary),
        FieldDiff::new("النص", &old.body, &new.body),
        FieldDiff::new("القسم", &section_name(old), &section_name(new)),
        FieldDiff::new("الكاتب", &old.author, &new.author),
        FieldDiff::new("الحالة", lines[older].status, lines[newer].status),
        FieldDiff::new("وقت النشر", &when(old), &when(new)),
        FieldDiff::new(
            "رقم الصورة الرئيسية",
            &old.lead_picture.map(|p| p.to_string()).unwrap_or_default(),
            &new.lead_picture.map(|p| p.to_string()).unwrap_or_default(),
        ),
    ];
    let body = ComparePage {
        layout: AdminLayout::new(
            &state.site,
            "الفرق بين نسختين",
            Some(signed_in(&editor)),
            "articles",
        ),
        article_id: id,
        older: lines[older].clone(),
        newer: lines[newer].clone(),
        fields,
    }
    .render()?;
    Ok(page(StatusCode::OK, body))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RestoreForm {
    version: String,
}

/// Saves revision `rev` again as the article's text: a new revision by this editor, with
/// the version check (someone who saved since wins, and the page says so). Views are
/// untouched: they live beside the article, not in it.
pub async fn restore(
    req: actix_web::HttpRequest,
    path: web::Path<(String, String)>,
    protected: Protected<RestoreForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let (raw_id, raw_revision) = path.into_inner();
    let id = article_id(&raw_id)?;
    let revision_id = RevisionId::parse(&raw_revision).ok_or(WebError::NotFound)?;
    let editor = protected.member;
    let revision = newsroom::revision(&state.db, id, revision_id).await?;
    if !state
        .sections
        .all()
        .iter()
        .any(|s| s.id == revision.section_id)
    {
        return list_page(
            &state,
            &editor,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("لم تُستعد النسخة: قسمها لم يعد موجودًا. افتح الخبر واختر له قسمًا."),
        )
        .await;
    }
    // A lead picture deleted since is left out rather than refused.
    let lead_picture = match revision.lead_picture {
        Some(picture) => pictures::picture(&state.db, picture)
            .await?
            .map(|picture| picture.id),
        None => None,
    };
    let in_body =
        pictures::pictures(&state.db, markdown::picture_references(&revision.body)).await?;
    let input = ArticleInput {
        title: revision.title,
        summary: revision.summary,
        body: revision.body,
        section_id: revision.section_id,
        author: revision.author,
        status: revision.status,
        published_at: Some(revision.published_at),
        lead_picture,
        tags: None,
    };
    let edit = Edit {
        expected_version: protected.form.version.trim().parse::<i64>().unwrap_or(-1),
        input,
        pictures: in_body,
        restored_from: Some(revision_id),
    };
    match newsroom::update_article(&state.db, actor(&req, &editor), id, edit, now_timestamp())
        .await?
    {
        UpdateOutcome::Saved => {
            state.article_changed();
            Ok(see_other(&format!("/admin/articles/{id}/edit?saved=1")))
        }
        UpdateOutcome::Conflict => {
            list_page(
                &state,
                &editor,
                id,
                StatusCode::CONFLICT,
                Some("لم تُستعد النسخة: حفظ أحد الزملاء الخبر بعد أن فتحت هذه الصفحة. راجع النسخ أدناه ثم أعد الاستعادة إن شئت."),
            )
            .await
        }
    }
}
