//! Forms sent as `multipart/form-data` (a form with a file input), read by hand: text
//! fields within one budget for all of them, one file within the upload cap. Past either
//! limit the rest is read and dropped rather than refused, so the handler can still answer
//! with the form as typed and a message.

use actix_multipart::Multipart;
use futures_util::TryStreamExt;

use actix_web::error::{ErrorBadRequest, ErrorInternalServerError, ErrorPayloadTooLarge};

/// The file chosen in a form.
#[derive(Debug, Default)]
pub struct UploadedFile {
    pub bytes: Vec<u8>,
    /// More than the cap was sent: `bytes` holds only what fitted.
    pub too_large: bool,
}

/// A multipart form: its text fields in order, and its file if one was chosen.
#[derive(Debug, Default)]
pub struct MultipartForm {
    pub fields: Vec<(String, String)>,
    pub file: Option<UploadedFile>,
}

impl MultipartForm {
    /// The text fields as `T` (see `decode_fields`).
    pub fn fields_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, actix_web::Error> {
        decode_fields(&self.fields)
    }
}

/// Form fields as `T`, by the same rules as a URL-encoded form (serde's `flatten` and
/// `default` work as they do for `web::Form`).
pub fn decode_fields<T: serde::de::DeserializeOwned>(
    fields: &[(String, String)],
) -> Result<T, actix_web::Error> {
    let encoded = serde_urlencoded::to_string(fields).map_err(ErrorInternalServerError)?;
    serde_urlencoded::from_str(&encoded).map_err(ErrorBadRequest)
}

/// Reads the whole form. The first part that carries a file name is the file (a form
/// submitted with no file chosen sends an empty part with an empty name: no file); every
/// other part is text.
pub async fn read(
    mut payload: Multipart,
    text_budget: usize,
    file_cap: usize,
) -> Result<MultipartForm, actix_web::Error> {
    let mut form = MultipartForm::default();
    let mut text_used = 0usize;
    while let Some(mut part) = payload.try_next().await? {
        let name = part.name().unwrap_or_default().to_owned();
        let file_name = part
            .content_disposition()
            .and_then(|disposition| disposition.get_filename())
            .map(str::to_owned);
        let is_file = file_name.is_some();
        let cap = if is_file {
            file_cap
        } else {
            text_budget.saturating_sub(text_used)
        };
        let mut bytes = Vec::new();
        let mut over = false;
        while let Some(chunk) = part.try_next().await? {
            if bytes.len() + chunk.len() > cap {
                over = true;
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            let chosen = !bytes.is_empty() || over || file_name.is_some_and(|n| !n.is_empty());
            if chosen && form.file.is_none() {
                form.file = Some(UploadedFile {
                    bytes,
                    too_large: over,
                });
            }
        } else if over {
            // Text past the budget is not a form of ours.
            return Err(ErrorPayloadTooLarge("form fields too long"));
        } else {
            text_used += bytes.len();
            form.fields
                .push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok(form)
}
