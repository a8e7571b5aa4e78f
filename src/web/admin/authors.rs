//! The newsroom's authors page (`/admin/authors`, any member): what each author's page
//! says besides the articles, a short biography and a picture from the library.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::forms::DoneQuery;
use super::respond::{actor, page, see_other, signed_in};
use crate::app::authors::{self, ProfileOutcome};
use crate::core::PictureId;
use crate::core::authors::{AuthorProfile, author_slug, check_bio};
use crate::core::time::now_timestamp;
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, AuthorEntry, AuthorsPage};
use crate::views::items::author_path;
use crate::web::error::WebError;
use crate::web::session::{Editor, Protected};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub bio: String,
    pub picture: String,
}

/// The page, with `typed` (slug, form) shown as typed when it was refused.
async fn show(
    state: &AppState,
    editor: &Editor,
    status: StatusCode,
    typed: Option<(&str, &ProfileForm)>,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<HttpResponse, WebError> {
    let entries = authors::all(&state.db)
        .await?
        .into_iter()
        .map(|(byline, slug, profile)| {
            let (bio, picture) = match typed {
                Some((typed_slug, form)) if typed_slug == slug => {
                    (form.bio.clone(), form.picture.clone())
                }
                _ => (
                    profile.bio,
                    profile.picture.map(|p| p.to_string()).unwrap_or_default(),
                ),
            };
            let href = author_path(&slug);
            AuthorEntry {
                action: href.replacen("/author/", "/admin/authors/", 1),
                href,
                byline,
                slug,
                bio,
                picture,
            }
        })
        .collect();
    let layout = AdminLayout::new(&state.site, "الكتّاب", Some(signed_in(editor)), "authors");
    let body = AuthorsPage {
        layout,
        authors: entries,
        error,
        notice,
    }
    .render()?;
    Ok(page(status, body))
}

pub async fn list(
    editor: Editor,
    query: web::Query<DoneQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let notice = (!query.done.is_empty()).then_some("تم الحفظ.");
    show(&state, &editor, StatusCode::OK, None, None, notice).await
}

pub async fn save(
    req: HttpRequest,
    path: web::Path<String>,
    protected: Protected<ProfileForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let Protected { member, form } = protected;
    let slug = author_slug(&path);
    if slug.is_empty() || slug != *path {
        return Err(WebError::NotFound);
    }
    let refuse = |message: &str| {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        show(
            &state,
            &member,
            status,
            Some((&slug, &form)),
            Some(message.to_owned()),
            None,
        )
    };
    let bio = match check_bio(&form.bio) {
        Ok(bio) => bio,
        Err(message) => return refuse(message).await,
    };
    let picture = match form.picture.trim() {
        "" => None,
        typed => match PictureId::parse(typed) {
            Some(id) => Some(id),
            None => return refuse("رقم الصورة غير صحيح: انسخه من صفحة الصور.").await,
        },
    };
    let profile = AuthorProfile { bio, picture };
    let who = actor(&req, &member);
    match authors::set_profile(&state.db, who, slug.clone(), profile, now_timestamp()).await? {
        ProfileOutcome::Saved => {
            state.article_changed();
            Ok(see_other("/admin/authors?done=1"))
        }
        ProfileOutcome::NoSuchPicture => refuse("لا توجد في مكتبة الصور صورة بهذا الرقم.").await,
    }
}
