//! Managing sections (admins only): list, create, rename, delete when empty.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{CsrfOnly, page, see_other, signed_in};
use crate::admin_pages::{AdminLayout, SectionsPage};
use crate::auth::session::{CsrfProtected, Editor, Protected};
use crate::db::{articles, sections};
use crate::domain::text::has_forbidden_inline_chars;
use crate::error::AppError;
use crate::state::AppState;

const NAME_MAX_CHARS: usize = 50;
const SLUG_MAX_CHARS: usize = 40;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    done: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SectionForm {
    csrf_token: String,
    name: String,
    slug: String,
}

impl CsrfProtected for SectionForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// Lower-case Latin letters and digits in words joined by single hyphens: `local-news`.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= SLUG_MAX_CHARS
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        Err("اسم القسم مطلوب.".to_owned())
    } else if name.chars().count() > NAME_MAX_CHARS || has_forbidden_inline_chars(name) {
        Err("اسم القسم طويل أو يحتوي على محارف غير مسموح بها (50 حرفًا على الأكثر).".to_owned())
    } else {
        Ok(())
    }
}

async fn render(
    state: &AppState,
    editor: &Editor,
    status: StatusCode,
    form: Option<&SectionForm>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<HttpResponse, AppError> {
    let sections = state
        .db(|conn| {
            sections::all(conn)?
                .into_iter()
                .map(|s| {
                    let count = articles::count_in_section(conn, s.id)?;
                    Ok((s, count))
                })
                .collect::<diesel::QueryResult<Vec<_>>>()
        })
        .await?;
    let body = SectionsPage {
        layout: AdminLayout::new(&state.site, "الأقسام", Some(signed_in(editor)), "sections"),
        sections,
        new_name: form.map(|f| f.name.clone()).unwrap_or_default(),
        new_slug: form.map(|f| f.slug.clone()).unwrap_or_default(),
        error,
        notice,
    }
    .render()?;
    Ok(page(status, body))
}

/// Reloads the menu every page shows.
async fn refresh_cache(state: &AppState) -> Result<(), AppError> {
    let all = state.db(sections::all).await?;
    state.sections.replace(all);
    state.article_changed();
    Ok(())
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
    protected: Protected<SectionForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Protected { editor, form } = protected;
    editor.require_admin()?;
    let name = form.name.trim().to_owned();
    let slug = form.slug.trim().to_owned();
    let problem = match check_name(&name) {
        Err(message) => Some(message),
        Ok(()) if !valid_slug(&slug) => Some(
            "المعرّف غير صالح: حروف لاتينية صغيرة وأرقام، تفصل بينها شرطات (مثل local-news)."
                .to_owned(),
        ),
        Ok(()) => None,
    };
    if let Some(message) = problem {
        return render(
            &state,
            &editor,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&form),
            Some(message),
            None,
        )
        .await;
    }
    let created = state
        .db(move |conn| {
            conn.immediate_transaction(|conn| {
                if sections::slug_taken(conn, &slug)? {
                    return Ok(false);
                }
                let position = sections::next_position(conn)?;
                sections::insert(
                    conn,
                    &sections::NewSection {
                        slug: &slug,
                        name: &name,
                        position,
                    },
                )?;
                Ok(true)
            })
        })
        .await?;
    if !created {
        let message = "هذا المعرّف مستخدم لقسم آخر.".to_owned();
        return render(
            &state,
            &editor,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&form),
            Some(message),
            None,
        )
        .await;
    }
    refresh_cache(&state).await?;
    Ok(see_other("/admin/sections?done=1"))
}

fn parse_section_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

pub async fn rename(
    path: web::Path<String>,
    protected: Protected<SectionForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Protected { editor, form } = protected;
    editor.require_admin()?;
    let id = parse_section_id(&path)?;
    let name = form.name.trim().to_owned();
    if let Err(message) = check_name(&name) {
        return render(
            &state,
            &editor,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(message),
            None,
        )
        .await;
    }
    let renamed = state
        .db(move |conn| sections::rename(conn, id, &name))
        .await?;
    if !renamed {
        return Err(AppError::NotFound);
    }
    refresh_cache(&state).await?;
    Ok(see_other("/admin/sections?done=1"))
}

pub async fn delete(
    path: web::Path<String>,
    protected: Protected<CsrfOnly>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let editor = protected.editor;
    editor.require_admin()?;
    let id = parse_section_id(&path)?;
    // Checked and deleted in one transaction, so no article can slip in between.
    let outcome = state
        .db(move |conn| {
            conn.immediate_transaction(|conn| {
                let count = articles::count_in_section(conn, id)?;
                if count > 0 {
                    return Ok(Some(count));
                }
                sections::delete(conn, id)?;
                Ok(None)
            })
        })
        .await?;
    if let Some(count) = outcome {
        let message = format!("لا يمكن حذف قسم فيه أخبار ({count}). انقل أخباره إلى قسم آخر أولًا.");
        return render(
            &state,
            &editor,
            StatusCode::CONFLICT,
            None,
            Some(message),
            None,
        )
        .await;
    }
    refresh_cache(&state).await?;
    Ok(see_other("/admin/sections?done=1"))
}

#[cfg(test)]
mod tests {
    use super::valid_slug;

    #[test]
    fn slugs_are_simple_latin_words() {
        for good in ["sports", "local-news", "world2"] {
            assert!(valid_slug(good), "{good}");
        }
        for bad in [
            "",
            "Sports",
            "local news",
            "-x",
            "x-",
            "a--b",
            "رياضة",
            "a_b",
            &"a".repeat(41),
        ] {
            assert!(!valid_slug(bad), "{bad}");
        }
    }
}
