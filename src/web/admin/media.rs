//! The media library under /admin/media: upload (multipart, read here by hand with a size
//! cap), the grid of pictures with their text, editing that text, deleting unused ones.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use futures_util::TryStreamExt;
use serde::Deserialize;

use super::respond::{page, see_other, signed_in};
use crate::app::pictures::{self, Deleted, Uploaded};
use crate::core::picture::{
    MAX_UPLOAD_BYTES, PictureId, PictureText, PictureTextErrors, UploadRefusal,
};
use crate::runtime::AppState;
use crate::views::admin::{AdminLayout, MediaEntry, MediaPage};
use crate::web::error::WebError;
use crate::web::session::{Editor, Protected, is_protected_submission};

/// Pictures shown on the library page, newest first.
const LIBRARY_PAGE: i64 = 60;
/// Text fields of the upload form are short; anything longer is not ours.
const MAX_TEXT_FIELD: usize = 4 * 1024;

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
    form: UploadForm,
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
        UploadForm::default(),
        PictureTextErrors::default(),
        notice,
        None,
    )
    .await
}

/// The upload form's fields, as sent.
#[derive(Default)]
struct UploadForm {
    csrf_token: String,
    alt: String,
    caption: String,
    credit: String,
    file: Vec<u8>,
    too_large: bool,
}

/// Reads the multipart body: the text fields (each bounded) and the file (up to the cap;
/// past it the rest is read and dropped, so the form can still be answered).
async fn read_upload(mut payload: Multipart) -> Result<UploadForm, WebError> {
    let mut form = UploadForm::default();
    while let Some(mut field) = payload
        .try_next()
        .await
        .map_err(|e| WebError::Internal(format!("upload not read: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        let cap = if name == "file" {
            MAX_UPLOAD_BYTES
        } else {
            MAX_TEXT_FIELD
        };
        let mut over = false;
        while let Some(chunk) = field
            .try_next()
            .await
            .map_err(|e| WebError::Internal(format!("upload not read: {e}")))?
        {
            if bytes.len() + chunk.len() > cap {
                over = true;
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "csrf_token" => form.csrf_token = text(),
            "alt" => form.alt = text(),
            "caption" => form.caption = text(),
            "credit" => form.credit = text(),
            "file" => {
                form.too_large = over;
                form.file = bytes;
            }
            _ => {}
        }
    }
    Ok(form)
}

pub async fn upload(
    req: HttpRequest,
    editor: Editor,
    payload: Multipart,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let mut form = read_upload(payload).await?;
    if !is_protected_submission(&req, &form.csrf_token) {
        return Err(WebError::Forbidden);
    }
    let text = match PictureText::parse(&form.alt, &form.caption, &form.credit) {
        Ok(text) => text,
        Err(errors) => {
            form.file.clear();
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
    let refused = |refusal: UploadRefusal| Some(refusal.message());
    let outcome = if form.too_large {
        Uploaded::Refused(UploadRefusal::TooLarge)
    } else {
        let file = std::mem::take(&mut form.file);
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
            .map_err(|e| WebError::Internal(e.to_string()))??
    };
    match outcome {
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
                refused(refusal),
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
                UploadForm::default(),
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
            Ok(see_other("/admin/media?done=deleted"))
        }
        Deleted::NotFound => Err(WebError::NotFound),
        Deleted::InUse => {
            media_page(
                &state,
                &request.member,
                StatusCode::CONFLICT,
                UploadForm::default(),
                PictureTextErrors::default(),
                None,
                Some("لم تُحذف الصورة: ما زالت في أخبار منشورة."),
            )
            .await
        }
    }
}
