//! Writing, editing, previewing, scheduling and deleting articles.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{CsrfOnly, page, see_other, signed_in};
use crate::admin_pages::{AdminLayout, ArticleFormPage, ArticleListPage, DeletePage, NewsroomItem};
use crate::auth::session::{Editor, Protected};
use crate::db::articles::{self, NewsroomFilter, PublicArticle, PublicationState, STATUS_DRAFT};
use crate::db::{self};
use crate::domain::ArticleId;
use crate::domain::article_input::{ArticleForm, ArticleInput, FieldErrors, format_local_datetime};
use crate::error::AppError;
use crate::newsroom::{self, UpdateOutcome};
use crate::pages::{ArticlePage, ArticleView, Layout, ListItem, Pager, Preview};
use crate::prefs::FontSize;
use crate::state::AppState;

const LIST_PAGE_SIZE: i64 = 30;
const SAVED: &str = "تم الحفظ.";
const DELETED: &str = "تم حذف الخبر.";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    status: String,
    section: String,
    q: String,
    page: String,
    deleted: String,
}

pub async fn list(
    editor: Editor,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = NewsroomFilter {
        state: match query.status.as_str() {
            "draft" => Some(PublicationState::Draft),
            "published" => Some(PublicationState::Published),
            "scheduled" => Some(PublicationState::Scheduled),
            _ => None,
        },
        section_id: query.section.parse().ok(),
        title_contains: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty()),
    };
    let page_number = match query.page.as_str() {
        "" => 1,
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or(AppError::NotFound)?,
    };
    let now = db::now_timestamp();
    let offset = (page_number - 1) * LIST_PAGE_SIZE;
    let db_filter = filter.clone();
    let (rows, total) = state
        .db(move |conn| articles::newsroom_list(conn, &db_filter, now, offset, LIST_PAGE_SIZE))
        .await?;
    let sections = state.sections.all();
    let dates = &state.site.dates;
    let items = rows
        .into_iter()
        .map(|row| {
            let (state_label, state_class) = if row.status == STATUS_DRAFT {
                ("مسودة", "draft")
            } else if row.published_at > now {
                ("مجدول", "scheduled")
            } else {
                ("منشور", "published")
            };
            let instant = crate::pages::timestamp_to_utc(row.published_at);
            NewsroomItem {
                section_name: sections
                    .iter()
                    .find(|s| s.id == row.section_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                state_label,
                state_class,
                when: format!("{} {}", dates.date(instant), dates.time(instant)),
                views: state.views.current(ArticleId::from_db(row.id), row.views),
                row,
            }
        })
        .collect();
    let base = format!(
        "/admin?{}",
        serde_urlencoded::to_string([
            ("status", query.status.as_str()),
            ("section", query.section.as_str()),
            ("q", query.q.as_str()),
        ])
        .unwrap_or_default()
    );
    let body = ArticleListPage {
        layout: AdminLayout::new(&state.site, "الأخبار", Some(signed_in(&editor)), "articles"),
        items,
        total,
        sections: sections.to_vec(),
        filter_status: query.status,
        filter_section: query.section,
        filter_query: query.q,
        pager: Pager {
            base,
            page: page_number,
            has_next: offset + LIST_PAGE_SIZE < total,
        },
        notice: (!query.deleted.is_empty()).then_some(DELETED),
    }
    .render()?;
    Ok(page(StatusCode::OK, body))
}

/// The article form page, as typed (or as loaded), with whatever messages apply.
struct FormView {
    article_id: Option<i64>,
    form: ArticleForm,
    errors: FieldErrors,
    notice: Option<&'static str>,
    conflict: bool,
    views: Option<i64>,
}

impl FormView {
    fn new(article_id: Option<i64>, form: ArticleForm) -> Self {
        FormView {
            article_id,
            form,
            errors: FieldErrors::default(),
            notice: None,
            conflict: false,
            views: None,
        }
    }

    fn render(
        self,
        state: &AppState,
        editor: &Editor,
        status: StatusCode,
    ) -> Result<HttpResponse, AppError> {
        let title = if self.article_id.is_some() {
            "تحرير خبر"
        } else {
            "خبر جديد"
        };
        let current = if self.article_id.is_some() {
            "articles"
        } else {
            "new"
        };
        let body = ArticleFormPage {
            layout: AdminLayout::new(&state.site, title, Some(signed_in(editor)), current),
            public_url: self.article_id.map(|id| state.site.permalink(id)),
            article_id: self.article_id,
            form: self.form,
            errors: self.errors,
            sections: state.sections.all().to_vec(),
            notice: self.notice,
            conflict: self.conflict,
            views: self.views,
        }
        .render()?;
        Ok(page(status, body))
    }
}

pub async fn new_form(
    editor: Editor,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = ArticleForm {
        author: editor.user.username.clone(),
        status: STATUS_DRAFT.to_owned(),
        section_id: state
            .sections
            .all()
            .first()
            .map(|s| s.id.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    FormView::new(None, form).render(&state, &editor, StatusCode::OK)
}

/// Validates the form against the current sections, as this editor.
fn parse_form(
    state: &AppState,
    editor: &Editor,
    form: &ArticleForm,
) -> Result<ArticleInput, FieldErrors> {
    form.parse(
        &state.sections.all(),
        state.site.dates.tz,
        &editor.user.username,
    )
}

pub async fn create(
    protected: Protected<ArticleForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Protected { editor, form } = protected;
    let input = match parse_form(&state, &editor, &form) {
        Ok(input) => input,
        Err(errors) => {
            let view = FormView {
                errors,
                ..FormView::new(None, form)
            };
            return view.render(&state, &editor, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let now = db::now_timestamp();
    let id = state
        .db(move |conn| newsroom::create_article(conn, &input, now))
        .await?;
    state.article_changed();
    Ok(see_other(&format!("/admin/articles/{id}/edit?saved=1")))
}

fn parse_article_id(raw: &str) -> Result<ArticleId, AppError> {
    ArticleId::parse(raw).ok_or(AppError::NotFound)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditQuery {
    saved: String,
}

pub async fn edit_form(
    editor: Editor,
    path: web::Path<String>,
    query: web::Query<EditQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = parse_article_id(&path)?;
    let article = state
        .db(move |conn| articles::find_editable(conn, id.get()))
        .await?
        .ok_or(AppError::NotFound)?;
    let form = ArticleForm {
        csrf_token: String::new(),
        title: article.title,
        summary: article.summary,
        body: article.body,
        section_id: article.section_id.to_string(),
        author: article.author,
        status: article.status,
        published_at: format_local_datetime(article.published_at, state.site.dates.tz),
        version: article.version.to_string(),
        article_id: article.id.to_string(),
    };
    let view = FormView {
        notice: (!query.saved.is_empty()).then_some(SAVED),
        views: Some(state.views.current(id, article.views)),
        ..FormView::new(Some(id.get()), form)
    };
    view.render(&state, &editor, StatusCode::OK)
}

pub async fn update(
    path: web::Path<String>,
    protected: Protected<ArticleForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let id = parse_article_id(&path)?;
    let Protected { editor, mut form } = protected;
    form.article_id = id.to_string();
    let input = match parse_form(&state, &editor, &form) {
        Ok(input) => input,
        Err(errors) => {
            let view = FormView {
                errors,
                ..FormView::new(Some(id.get()), form)
            };
            return view.render(&state, &editor, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    // A missing or garbled version cannot prove the editor saw the latest text.
    let expected_version = form.version.trim().parse::<i64>().unwrap_or(-1);
    let now = db::now_timestamp();
    let outcome = state
        .db(move |conn| {
            if articles::find_editable(conn, id.get())?.is_none() {
                return Ok(None);
            }
            newsroom::update_article(conn, id, expected_version, &input, now).map(Some)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    match outcome {
        UpdateOutcome::Saved => {
            state.article_changed();
            Ok(see_other(&format!("/admin/articles/{id}/edit?saved=1")))
        }
        UpdateOutcome::Conflict => {
            let view = FormView {
                conflict: true,
                ..FormView::new(Some(id.get()), form)
            };
            view.render(&state, &editor, StatusCode::CONFLICT)
        }
    }
}

/// Back from the preview to the form, with everything as typed.
pub async fn resume(
    protected: Protected<ArticleForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Protected { editor, form } = protected;
    let article_id = ArticleId::parse(&form.article_id).map(ArticleId::get);
    FormView::new(article_id, form).render(&state, &editor, StatusCode::OK)
}

/// The article as readers will see it, rendered by the reader's own template, unsaved.
pub async fn preview(
    req: HttpRequest,
    protected: Protected<ArticleForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Protected { editor, form } = protected;
    let article_id = ArticleId::parse(&form.article_id);
    let input = match parse_form(&state, &editor, &form) {
        Ok(input) => input,
        Err(errors) => {
            let view = FormView {
                errors,
                ..FormView::new(article_id.map(ArticleId::get), form)
            };
            return view.render(&state, &editor, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let now = db::now_timestamp();
    let existing = article_id.map(ArticleId::get).unwrap_or(0);
    let section_id = input.section_id;
    let (stored_views, more) = state
        .db(move |conn| {
            let stored = articles::find_editable(conn, existing)?.map_or(0, |a| a.views);
            let more = articles::latest_visible_excluding(conn, now, &[existing], 8)?;
            Ok((stored, more))
        })
        .await?;
    let sections = state.sections.all();
    let article = PublicArticle {
        id: existing,
        section_id,
        title: input.title.clone(),
        summary: input.summary.clone(),
        body_html: crate::markdown::body_to_html(&input.body),
        author: input.author.clone(),
        published_at: input.published_at.unwrap_or(now),
        updated_at: now,
        views: stored_views,
    };
    let views = article_id.map_or(0, |id| state.views.current(id, stored_views));
    let most_read: Vec<_> = crate::most_read::current(&state)
        .await?
        .iter()
        .filter(|a| a.id != existing)
        .cloned()
        .collect();
    let article = ArticleView::new(article, &sections, &state.site);
    let mut layout = Layout::new(&state, FontSize::from_request(&req), Some(&article.title));
    layout.noindex = true;
    let body = ArticlePage {
        layout,
        article,
        views,
        more: ListItem::list(more, &sections, &state.site),
        most_read: ListItem::list(most_read, &sections, &state.site),
        preview: Some(Preview {
            csrf_token: editor.csrf_token.clone(),
            form,
        }),
    }
    .render()?;
    Ok(page(StatusCode::OK, body))
}

pub async fn delete_form(
    editor: Editor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    editor.require_admin()?;
    let id = parse_article_id(&path)?;
    let article = state
        .db(move |conn| articles::find_editable(conn, id.get()))
        .await?
        .ok_or(AppError::NotFound)?;
    let body = DeletePage {
        layout: AdminLayout::new(&state.site, "حذف خبر", Some(signed_in(&editor)), "articles"),
        article_id: article.id,
        title: article.title,
    }
    .render()?;
    Ok(page(StatusCode::OK, body))
}

pub async fn delete(
    path: web::Path<String>,
    protected: Protected<CsrfOnly>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    protected.editor.require_admin()?;
    let id = parse_article_id(&path)?;
    let deleted = state
        .db(move |conn| newsroom::delete_article(conn, id))
        .await?;
    if !deleted {
        return Err(AppError::NotFound);
    }
    state.views.forget(id);
    state.article_changed();
    Ok(see_other("/admin?deleted=1"))
}
