//! The media library under /admin/media: upload (multipart, through `ProtectedUpload`),
//! the grid of pictures with their text, editing that text, deleting unused ones.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::respond::{page, see_other, signed_in};
use crate::app::pictures::{self, Deleted, Uploaded};
use crate::core::picture::{PictureId, PictureText, PictureTextErrors, UploadRefusal};
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, MediaEntry, MediaPage};
use crate::web::error::WebError;
use crate::web::multipart::UploadedFile;
use crate::web::session::{Editor, Protected, ProtectedUpload};

/// Pictures shown on the library page, newest first.
const LIBRARY_PAGE: i64 = 60;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

/// The library page, as it is now, with `form` as typed and what went wrong.
async fn media_page(
    state: &AppState,
    editor: &Editor,
    status: StatusCode,
    form: TextFields,
    errors: PictureTextErrors,
    notice: Option<&'static str>,
    error: Option<&'static str>,
) -> Result<HttpResponse, WebError> {
    let pictures = pictures::library(&state.db, LIBRARY_PAGE)
        .await?
        .into_iter()
        .map(|listing| MediaEntry::new(listing.picture, listing.bytes, listing.uses))
        .collect();
    let body = MediaPage {
        layout: AdminLayout::new(&state.site, "الصور", Some(signed_in(editor)), "media"),
        pictures,
        alt: form.alt,
        caption: form.caption,
        credit: form.credit,
        errors,
        notice,
        error,
    }
    .render()?;
    Ok(page(status, body))
}

pub async fn library(
    editor: Editor,
    query: web::Query<Done>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let notice = match query.done.as_str() {
        "uploaded" => Some("رُفعت الصورة."),
        "saved" => Some("تم الحفظ."),
        "deleted" => Some("حُذفت الصورة."),
        _ => None,
    };
    media_page(
        &state,
        &editor,
        StatusCode::OK,
        TextFields::default(),
        PictureTextErrors::default(),
        notice,
        None,
    )
    .await
}

/// Processes the chosen file and keeps it in the library with `text`; a missing or
/// oversized file is refused like any other that is not a picture we accept.
pub(super) async fn store_picture(
    state: &AppState,
    file: Option<UploadedFile>,
    text: PictureText,
) -> Result<Uploaded, WebError> {
    let file = match file {
        None => return Ok(Uploaded::Refused(UploadRefusal::Empty)),
        Some(file) if file.too_large => return Ok(Uploaded::Refused(UploadRefusal::TooLarge)),
        Some(file) => file.bytes,
    };
    let db = state.db.clone();
    // One picture processed at a time: a photo takes a core for about a second, and
    // readers need the other one.
    let _turn = state
        .picture_work
        .acquire()
        .await
        .map_err(|_| WebError::Internal("the picture queue is closed".to_owned()))?;
    web::block(move || pictures::upload_blocking(&db, &file, &text))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(WebError::from)
}

pub async fn upload(
    request: ProtectedUpload<TextFields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let ProtectedUpload {
        member: editor,
        form,
        file,
    } = request;
    let text = match PictureText::parse(&form.alt, &form.caption, &form.credit) {
        Ok(text) => text,
        Err(errors) => {
            return media_page(
                &state,
                &editor,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                errors,
                None,
                Some("لم تُرفع الصورة: راجع الحقول المعلّمة."),
            )
            .await;
        }
    };
    match store_picture(&state, file, text).await? {
        Uploaded::Stored(id) => Ok(see_other(&format!(
            "/admin/media?done=uploaded#picture-{id}"
        ))),
        Uploaded::Refused(refusal) => {
            media_page(
                &state,
                &editor,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                PictureTextErrors::default(),
                None,
                Some(refusal.message()),
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TextFields {
    alt: String,
    caption: String,
    credit: String,
}

pub async fn update_text(
    path: web::Path<String>,
    request: Protected<TextFields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = PictureId::parse(&path).ok_or(WebError::NotFound)?;
    let fields = request.form;
    match PictureText::parse(&fields.alt, &fields.caption, &fields.credit) {
        Ok(text) => {
            if !pictures::update_text(&state.db, id, text).await? {
                return Err(WebError::NotFound);
            }
            Ok(see_other(&format!("/admin/media?done=saved#picture-{id}")))
        }
        Err(errors) => {
            let message = errors.alt.or(errors.caption).or(errors.credit);
            media_page(
                &state,
                &request.member,
                StatusCode::UNPROCESSABLE_ENTITY,
                TextFields::default(),
                PictureTextErrors::default(),
                None,
                message,
            )
            .await
        }
    }
}

pub async fn delete(
    path: web::Path<String>,
    request: Protected<crate::web::session::NoFields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = PictureId::parse(&path).ok_or(WebError::NotFound)?;
    match pictures::delete(&state.db, id).await? {
        Deleted::Deleted => {
            state.picture_files.clear();
            // The header stops showing a logo whose picture is gone.
            state
                .site_pages
                .replace_logo(crate::app::site_pages::logo(&state.db).await?);
            state.article_changed();
            Ok(see_other("/admin/media?done=deleted"))
        }
        Deleted::NotFound => Err(WebError::NotFound),
        Deleted::InUse => {
            media_page(
                &state,
                &request.member,
                StatusCode::CONFLICT,
                TextFields::default(),
                PictureTextErrors::default(),
                None,
                Some("لم تُحذف الصورة: ما زالت في أخبار منشورة."),
            )
            .await
        }
    }
}
