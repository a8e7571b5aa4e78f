//! gzip on the wire. Article pages come precompressed in pieces (`runtime::gzip`); static
//! files (stylesheet, script, SVG, text) are compressed once, at the best level, and fonts
//! (WOFF2 is already compressed) never are; other pages (home, sections, search, feeds,
//! error pages) change with every article and are compressed per response at the fastest
//! level by [`compress_pages`].
//!
//! Only gzip is offered: every browser accepts it, and a client that accepts only br (or
//! nothing we know) gets the identity encoding.

use std::sync::LazyLock;

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use flate2::Compression;

use crate::runtime::gzip::gzip;
use crate::views::assets::{ASSETS, Asset};

/// Dynamic pages shorter than this are sent as they are: gzip would save next to nothing.
const MIN_COMPRESSED_SIZE: usize = 1024;

/// Whether the request's `Accept-Encoding` allows gzip.
pub fn accepts_gzip(req: &HttpRequest) -> bool {
    accepts_gzip_in(req.headers())
}

fn accepts_gzip_in(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|value| value.to_str().ok())
        .any(accepts_gzip_header)
}

/// `gzip` (or `x-gzip`, or `*`) listed with a quality above 0, and not refused by name.
pub fn accepts_gzip_header(value: &str) -> bool {
    let mut named = None;
    let mut wildcard = None;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|param| {
                let (name, value) = param.split_once('=')?;
                (name.trim().eq_ignore_ascii_case("q")).then(|| value.trim().parse::<f32>().ok())?
            })
            .next()
            .unwrap_or(1.0);
        match coding.as_str() {
            "gzip" | "x-gzip" => named = Some(quality > 0.0),
            "*" => wildcard = Some(quality > 0.0),
            _ => {}
        }
    }
    named.or(wildcard).unwrap_or(false)
}

/// A static file's bytes gzip-compressed once (None for files not worth compressing).
struct StaticGzip {
    name: &'static str,
    gzipped: Option<Bytes>,
}

static STATIC_GZIP: LazyLock<Vec<StaticGzip>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|asset| StaticGzip {
            name: asset.name,
            gzipped: worth_compressing(asset.content_type)
                .then(|| gzip(asset.bytes, Compression::best()).ok().map(Bytes::from))
                .flatten(),
        })
        .collect()
});

/// Text compresses; fonts, images other than SVG and archives are compressed already.
fn worth_compressing(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || essence == "image/svg+xml"
        || essence.ends_with("+xml")
        || essence.ends_with("/xml")
        || essence.ends_with("/json")
        || essence.ends_with("+json")
        || essence == "application/javascript"
}

/// Compresses the static files now, so that the first reader does not wait for it.
pub fn prepare_static_files() {
    LazyLock::force(&STATIC_GZIP);
}

/// A static file's response: the gzip copy made once when the client accepts it, else the
/// file as it is. `cache_control` applies to both.
pub fn static_file(req: &HttpRequest, asset: &'static Asset, cache_control: &str) -> HttpResponse {
    let gzipped = STATIC_GZIP
        .iter()
        .find(|s| s.name == asset.name)
        .and_then(|s| s.gzipped.clone());
    let mut response = HttpResponse::Ok();
    response
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, cache_control.to_owned()));
    match gzipped {
        Some(gzipped) => {
            response.insert_header((header::VARY, "Accept-Encoding"));
            if accepts_gzip(req) {
                response
                    .insert_header((header::CONTENT_ENCODING, "gzip"))
                    .body(gzipped)
            } else {
                response.body(asset.bytes)
            }
        }
        None => response.body(asset.bytes),
    }
}

/// Middleware for everything else: compresses a text response of 1 KB or more at the
/// fastest level when the client accepts gzip, unless the handler already chose an encoding
/// (the article page does, with its precompressed pieces).
pub async fn compress_pages<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wants_gzip = accepts_gzip_in(req.headers());
    let response = next.call(req).await?.map_into_boxed_body();
    let headers = response.headers();
    let compressible = !headers.contains_key(header::CONTENT_ENCODING)
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(worth_compressing)
        && !matches!(response.response().body().size(), body::BodySize::Sized(n) if n < MIN_COMPRESSED_SIZE as u64);
    if !compressible {
        return Ok(response);
    }
    let mut response = response;
    add_vary_accept_encoding(response.headers_mut());
    if !wants_gzip {
        return Ok(response);
    }
    let (req, res) = response.into_parts();
    let (mut head, body) = res.into_parts();
    let bytes = match body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(e) => return Err(actix_web::error::ErrorInternalServerError(e.to_string())),
    };
    // Too short to gain anything, or (never seen) the compressor failed: send it as it is.
    let gzipped = match bytes.len() >= MIN_COMPRESSED_SIZE {
        true => gzip(&bytes, Compression::fast()).ok(),
        false => None,
    };
    let Some(gzipped) = gzipped else {
        return Ok(ServiceResponse::new(
            req,
            head.set_body(bytes).map_into_boxed_body(),
        ));
    };
    head.headers_mut()
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    head.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(ServiceResponse::new(
        req,
        head.set_body(Bytes::from(gzipped)).map_into_boxed_body(),
    ))
}

/// Adds `Accept-Encoding` to the response's `Vary`, keeping what is there.
fn add_vary_accept_encoding(headers: &mut HeaderMap) {
    let present = headers.get_all(header::VARY).any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',')
                .any(|t| t.trim().eq_ignore_ascii_case("accept-encoding") || t.trim() == "*")
        })
    });
    if !present {
        headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
}
#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn gunzip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn accept_encoding_is_read_as_the_spec_says() {
        for yes in [
            "gzip",
            "gzip, br",
            "br, gzip",
            "deflate, gzip;q=0.5",
            "GZIP",
            "x-gzip",
            "*",
            "br;q=1, *;q=0.1",
            "gzip;q=1.0",
        ] {
            assert!(accepts_gzip_header(yes), "{yes}");
        }
        for no in [
            "",
            "br",
            "identity",
            "gzip;q=0",
            "gzip; q=0.0",
            "*;q=0",
            "*, gzip;q=0",
            "gzipx",
        ] {
            assert!(!accepts_gzip_header(no), "{no}");
        }
    }

    #[test]
    fn static_text_is_compressed_once_and_fonts_never() {
        prepare_static_files();
        let css = STATIC_GZIP.iter().find(|s| s.name == "style.css").unwrap();
        let asset = crate::views::assets::find("style.css").unwrap();
        assert_eq!(gunzip(css.gzipped.as_ref().unwrap()), asset.bytes);
        for font in STATIC_GZIP.iter().filter(|s| s.name.ends_with(".woff2")) {
            assert!(font.gzipped.is_none(), "{}", font.name);
        }
    }
}
