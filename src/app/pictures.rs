//! The media library: an uploaded picture is recognised by its content, decoded within
//! limits, turned upright, and encoded again by us in every served size (JPEG and WebP at
//! each width, and a 1200×630 share card). What was uploaded is never kept or served, so
//! no file readers get carries the EXIF, XMP, IPTC or ICC data of whoever took it: GPS
//! position, camera serial, author.
//!
//! Codecs: `image` (pure Rust: zune-jpeg, png, image-webp) decodes and writes JPEG;
//! `fast_image_resize` scales (SIMD convolution, several times faster than `image`'s own
//! resize at the same Lanczos quality); `webp` (libwebp, BSD) writes lossy WebP, a third
//! smaller than JPEG at the same look. AVIF would be smaller still, but its encoders
//! (rav1e) take seconds per photo on two cores.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageError, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};

use super::AppError;
use crate::core::picture::{
    CARD_HEIGHT, CARD_NAME, CARD_WIDTH, Format, MAX_PIXELS, MAX_SIDE, MAX_UPLOAD_BYTES, Picture,
    PictureId, PictureText, UploadRefusal, scaled_height, served_widths, variant_name,
};
use crate::core::time::now_timestamp;
use crate::db::pictures::{self, NewPicture, NewVariant, PictureListing};
use crate::db::{Database, write_tx};

/// JPEG quality: what news sites serve (visually clean photos at a modest size).
const JPEG_QUALITY: u8 = 82;
/// libwebp's quality scale; about the look of JPEG 82.
const WEBP_QUALITY: f32 = 78.0;

/// A picture made ready to store: its served files, all ours.
#[derive(Debug)]
pub struct Processed {
    pub hash: String,
    pub width: u32,
    pub height: u32,
    pub placeholder: String,
    pub variants: Vec<Variant>,
}

#[derive(Debug)]
pub struct Variant {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// What an upload came to.
#[derive(Debug)]
pub enum Uploaded {
    Stored(PictureId),
    Refused(UploadRefusal),
}

/// Processes `upload` and keeps it in the library with `text`, in one transaction.
/// Blocking and CPU-heavy (about a second for a 12-megapixel photo): the caller runs it
/// off the async executor and bounds how many run at once.
pub fn upload_blocking(
    db: &Database,
    upload: &[u8],
    text: &PictureText,
) -> Result<Uploaded, AppError> {
    let processed = match process(upload) {
        Ok(processed) => processed,
        Err(refusal) => return Ok(Uploaded::Refused(refusal)),
    };
    let mut conn = db.conn()?;
    let id = write_tx(&mut conn, |conn| {
        // The same picture uploaded again is the same picture: keep one.
        if let Some(existing) = pictures::id_of_hash(conn, &processed.hash)? {
            return Ok(existing);
        }
        let variants: Vec<NewVariant<'_>> = processed
            .variants
            .iter()
            .map(|v| NewVariant {
                name: &v.name,
                width: v.width,
                height: v.height,
                bytes: &v.bytes,
            })
            .collect();
        pictures::insert(
            conn,
            &NewPicture {
                hash: &processed.hash,
                width: processed.width,
                height: processed.height,
                text,
                placeholder: &processed.placeholder,
                created_at: now_timestamp(),
            },
            &variants,
        )
    })?;
    Ok(Uploaded::Stored(id))
}

/// The library, newest first, with how many articles use each picture.
pub async fn library(db: &Database, limit: i64) -> Result<Vec<PictureListing>, AppError> {
    Ok(db.run(move |conn| pictures::list(conn, limit)).await?)
}

/// The pictures `ids` that are in the library.
pub async fn pictures(db: &Database, ids: Vec<PictureId>) -> Result<Vec<Picture>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db.run(move |conn| pictures::find_many(conn, &ids)).await?)
}

pub async fn picture(db: &Database, id: PictureId) -> Result<Option<Picture>, AppError> {
    Ok(db.run(move |conn| pictures::find(conn, id)).await?)
}

/// A served file: its bytes and format, if `hash` and `name` name one.
pub async fn served_file(
    db: &Database,
    hash: String,
    name: String,
) -> Result<Option<(Vec<u8>, Format)>, AppError> {
    let Some(format) = Format::of_name(&name) else {
        return Ok(None);
    };
    let bytes = db
        .run(move |conn| pictures::variant_bytes(conn, &hash, &name))
        .await?;
    Ok(bytes.map(|bytes| (bytes, format)))
}

/// Saves what the editor says about a picture; false if it is gone.
pub async fn update_text(
    db: &Database,
    id: PictureId,
    text: PictureText,
) -> Result<bool, AppError> {
    Ok(db
        .run(move |conn| write_tx(conn, |conn| pictures::update_text(conn, id, &text)))
        .await?)
}

/// What deleting a picture came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Deleted {
    Deleted,
    /// Articles still show it: kept.
    InUse,
    NotFound,
}

/// Deletes a picture no article leads with or places in its body, checked and done in one
/// transaction.
pub async fn delete(db: &Database, id: PictureId) -> Result<Deleted, AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                if pictures::find(conn, id)?.is_none() {
                    return Ok(Deleted::NotFound);
                }
                if pictures::uses(conn, id)? + pictures::body_uses(conn, id)? > 0 {
                    return Ok(Deleted::InUse);
                }
                pictures::delete(conn, id)?;
                Ok(Deleted::Deleted)
            })
        })
        .await?)
}

/// Decodes `upload` (JPEG, PNG or WebP, told by its content) within the limits, turns it
/// upright and encodes every served file.
pub fn process(upload: &[u8]) -> Result<Processed, UploadRefusal> {
    if upload.is_empty() {
        return Err(UploadRefusal::Empty);
    }
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(UploadRefusal::TooLarge);
    }
    let upright = decode(upload)?;
    let (width, height) = (upright.width(), upright.height());
    let pixels = upright.into_raw();
    let source = Image::from_vec_u8(width, height, pixels, PixelType::U8x3)
        .map_err(|_| UploadRefusal::Unreadable)?;

    let mut resizer = Resizer::new();
    let mut variants = Vec::new();
    for served_width in served_widths(width) {
        let served_height = scaled_height(width, height, served_width);
        let scaled = resize(&mut resizer, &source, served_width, served_height, false)?;
        for format in [Format::Jpeg, Format::WebP] {
            variants.push(Variant {
                name: variant_name(served_width, format),
                width: served_width,
                height: served_height,
                bytes: encode(&scaled, format)?,
            });
        }
    }
    let card = resize(&mut resizer, &source, CARD_WIDTH, CARD_HEIGHT, true)?;
    variants.push(Variant {
        name: CARD_NAME.to_owned(),
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
        bytes: encode(&card, Format::Jpeg)?,
    });
    let dot = resize(&mut resizer, &source, 1, 1, false)?;
    let placeholder = match dot.buffer() {
        [r, g, b, ..] => format!("#{r:02x}{g:02x}{b:02x}"),
        _ => "#dddddd".to_owned(),
    };

    let mut hasher = Sha256::new();
    hasher.update(width.to_le_bytes());
    hasher.update(height.to_le_bytes());
    hasher.update(source.buffer());
    let digest = hasher.finalize();
    let hash: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
    Ok(Processed {
        hash,
        width,
        height,
        placeholder,
        variants,
    })
}

/// The picture as 8-bit RGB, upright, transparency laid on white.
fn decode(upload: &[u8]) -> Result<image::RgbImage, UploadRefusal> {
    let format = image::guess_format(upload).map_err(|_| UploadRefusal::NotAPicture)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(UploadRefusal::NotAPicture);
    }
    // The JPEG decoder fills in what a cut-off file lacks; a whole JPEG ends its last scan
    // with an end-of-image marker.
    if format == ImageFormat::Jpeg && !jpeg_is_complete(upload) {
        return Err(UploadRefusal::Unreadable);
    }
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Four bytes a pixel (RGBA) at the largest accepted size, and room for the decoder.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    // Refused before a pixel is decoded: a small file may claim a huge picture.
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE {
        return Err(UploadRefusal::TooManyPixels);
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    image.apply_orientation(orientation);
    Ok(if image.color().has_alpha() {
        on_white(&image.to_rgba8())
    } else {
        image.to_rgb8()
    })
}

/// Whether an end-of-image marker (FF D9) follows the last start-of-scan (FF DA).
fn jpeg_is_complete(jpeg: &[u8]) -> bool {
    let last = |marker: u8| jpeg.windows(2).rposition(|pair| pair == [0xFF, marker]);
    match (last(0xDA), last(0xD9)) {
        (Some(scan), Some(end)) => end > scan,
        _ => false,
    }
}

fn refusal(error: ImageError) -> UploadRefusal {
    match error {
        ImageError::Limits(_) => UploadRefusal::TooManyPixels,
        ImageError::Unsupported(_) => UploadRefusal::NotAPicture,
        _ => UploadRefusal::Unreadable,
    }
}

/// A transparent picture over a white page, as readers would see it.
fn on_white(rgba: &image::RgbaImage) -> image::RgbImage {
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| -> u8 {
            let c = u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a));
            u8::try_from(c / 255).unwrap_or(255)
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

/// `source` scaled to `width`×`height`; `crop`: cut to that shape around the centre first.
fn resize(
    resizer: &mut Resizer,
    source: &Image<'_>,
    width: u32,
    height: u32,
    crop: bool,
) -> Result<Image<'static>, UploadRefusal> {
    let mut scaled = Image::new(width, height, PixelType::U8x3);
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if crop {
        options = options.fit_into_destination(Some((0.5, 0.5)));
    }
    resizer
        .resize(source, &mut scaled, &options)
        .map_err(|_| UploadRefusal::Unreadable)?;
    Ok(scaled)
}

fn encode(image: &Image<'_>, format: Format) -> Result<Vec<u8>, UploadRefusal> {
    let (width, height) = (image.width(), image.height());
    match format {
        Format::Jpeg => {
            let mut out = Vec::new();
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .encode(image.buffer(), width, height, ExtendedColorType::Rgb8)
                .map_err(|_| UploadRefusal::Unreadable)?;
            Ok(out)
        }
        Format::WebP => Ok(webp::Encoder::from_rgb(image.buffer(), width, height)
            .encode(WEBP_QUALITY)
            .to_vec()),
    }
}
