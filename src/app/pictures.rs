//! The media library: an uploaded picture is recognised by its content, decoded within
//! limits, turned upright, converted to sRGB, and encoded again by us in every served size (JPEG and WebP at
//! each width, and a 1200×630 share card). What was uploaded is never kept or served, so
//! no file readers get carries the EXIF, XMP, IPTC or ICC data of whoever took it: GPS
//! position, camera serial, author.
//!
//! Codecs: `image` (pure Rust: zune-jpeg, png, image-webp) decodes and writes JPEG;
//! `fast_image_resize` scales (SIMD convolution, several times faster than `image`'s own
//! resize at the same Lanczos quality); `webp` (libwebp, BSD) writes lossy WebP, a third
//! smaller than JPEG at the same look. AVIF would be smaller still, but its encoders
//! (rav1e) take seconds per photo on two cores. `moxcms` (the colour management `image`
//! itself uses) converts a picture with an ICC profile to sRGB.

use std::io::Cursor;
use std::sync::Arc;

use base64::Engine as _;
use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageError, ImageFormat, ImageReader, RgbImage,
};
use moxcms::{ColorProfile, DataColorSpace, Layout, Transform8BitExecutor, TransformOptions};
use sha2::{Digest, Sha256};

use super::{AppError, originals};
use crate::core::picture::{
    CARD_HEIGHT, CARD_NAME, CARD_WIDTH, Format, MAX_PIXELS, MAX_SIDE, MAX_UPLOAD_BYTES, Picture,
    PictureId, PictureText, UploadRefusal, placeholder_size, scaled_height, served_widths,
    variant_name,
};
use crate::core::time::now_timestamp;
use crate::db::changes::{self, Change};
use crate::db::pictures::{self, NewPicture, NewVariant, PictureListing};
use crate::db::{Database, DbResult, write_tx};

/// JPEG quality: what news sites serve (visually clean photos at a modest size).
const JPEG_QUALITY: u8 = 82;
/// libwebp's quality scale; about the look of JPEG 82.
const WEBP_QUALITY: f32 = 78.0;
/// The placeholder is stretched and blurred: colours and shapes matter, not detail. Below
/// 60 its colours drift (a cast over skin and sky); above, bytes buy detail the blur hides.
/// About 100 bytes at 16×10.
const PLACEHOLDER_QUALITY: f32 = 60.0;

/// A picture made ready to store: its served files, all ours.
#[derive(Debug)]
pub struct Processed {
    pub hash: String,
    pub width: u32,
    pub height: u32,
    pub placeholder: String,
    pub variants: Vec<Variant>,
    /// The extension of the format it was uploaded in (`jpg`, `png`, `webp`).
    pub uploaded_as: &'static str,
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
    // Only once the picture is in the library: an original is never kept for a picture
    // that is not.
    if let Some(dir) = db.originals_dir()
        && let Err(e) = originals::keep(dir, &processed.hash, processed.uploaded_as, upload)
    {
        tracing::error!(
            error = %e,
            dir = %dir.display(),
            hash = %processed.hash,
            "could not keep the original of an upload (the picture itself is stored)"
        );
    }
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
        .run(move |conn| {
            write_tx(conn, |conn| {
                let updated = pictures::update_text(conn, id, &text)?;
                if updated {
                    changes::record(conn, Change::Pictures, now_timestamp())?;
                }
                Ok(updated)
            })
        })
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
/// transaction; and its original, if one was kept.
pub async fn delete(db: &Database, id: PictureId) -> Result<Deleted, AppError> {
    let originals_dir = db.originals_dir().map(|dir| dir.to_owned());
    Ok(db
        .run(move |conn| -> DbResult<Deleted> {
            let deleted = write_tx(conn, |conn| {
                let Some(picture) = pictures::find(conn, id)? else {
                    return Ok(Err(Deleted::NotFound));
                };
                if pictures::uses(conn, id)? + pictures::body_uses(conn, id)? > 0 {
                    return Ok(Err(Deleted::InUse));
                }
                pictures::delete(conn, id)?;
                changes::record(conn, Change::Pictures, now_timestamp())?;
                Ok(Ok(picture.hash))
            })?;
            let hash = match deleted {
                Ok(hash) => hash,
                Err(kept) => return Ok(kept),
            };
            if let Some(dir) = originals_dir
                && let Err(e) = originals::forget(&dir, &hash)
            {
                tracing::error!(
                    error = %e,
                    dir = %dir.display(),
                    hash,
                    "could not remove the original of a deleted picture"
                );
            }
            Ok(Deleted::Deleted)
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
    let (upright, format) = decode(upload)?;
    let (width, height) = (upright.width(), upright.height());
    let pixels = upright.into_raw();
    let source = Image::from_vec_u8(width, height, pixels, PixelType::U8x3)
        .map_err(|_| UploadRefusal::Unreadable)?;

    let mut resizer = Resizer::new();
    let mut variants = Vec::new();
    let mut smallest = None;
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
        smallest.get_or_insert(scaled);
    }
    let card = resize(&mut resizer, &source, CARD_WIDTH, CARD_HEIGHT, true)?;
    variants.push(Variant {
        name: CARD_NAME.to_owned(),
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
        bytes: encode(&card, Format::Jpeg)?,
    });
    // From the smallest served copy: the same look as from the whole picture, at a
    // thousandth of the work.
    let placeholder = placeholder(&mut resizer, smallest.as_ref().unwrap_or(&source))?;

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
        uploaded_as: match format {
            ImageFormat::Png => "png",
            ImageFormat::WebP => "webp",
            _ => "jpg",
        },
    })
}

/// The picture as 8-bit sRGB, upright, transparency laid on white; and the format it was in.
fn decode(upload: &[u8]) -> Result<(RgbImage, ImageFormat), UploadRefusal> {
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
    // Read before the pixels: decoding consumes the decoder. A profile that cannot be read
    // is as good as none.
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    image.apply_orientation(orientation);
    let mut rgb = if image.color().has_alpha() {
        on_white(&image.to_rgba8())
    } else {
        image.to_rgb8()
    };
    if let Some(icc) = icc {
        to_srgb(&mut rgb, &icc);
    }
    Ok((rgb, format))
}

/// Converts `image`, whose colours the ICC profile `icc` describes, to sRGB in place;
/// whether it did. Served files carry no profile, so browsers take them as sRGB: a Display
/// P3 or Adobe RGB photo shown unconverted looks dull and off. A profile that cannot be
/// read, is not RGB, or is sRGB in effect leaves the pixels as they are: a picture is never
/// refused for its profile.
fn to_srgb(image: &mut RgbImage, icc: &[u8]) -> bool {
    // moxcms is fuzzed, but a panic in a parser of uploaded bytes would cost the editor the
    // whole upload; the colours of a picture are not worth that.
    let transform = std::panic::catch_unwind(|| srgb_transform(icc))
        .ok()
        .flatten();
    let Some(transform) = transform else {
        return false;
    };
    let row_len = image.width() as usize * 3;
    if row_len == 0 {
        return false;
    }
    // Row by row through one small buffer: a second copy of a 12-megapixel picture would
    // be another 36 MB.
    let mut source = vec![0u8; row_len];
    for row in image.chunks_exact_mut(row_len) {
        source.copy_from_slice(row);
        if transform.transform(&source, row).is_err() {
            // Rows already converted and rows not: the colours are off either way, and
            // a transform that takes equal lengths does not fail on the next row.
            return false;
        }
    }
    true
}

/// A transform from the RGB profile `icc` to sRGB, unless `icc` cannot be read, is not
/// RGB, or is sRGB in effect (converting would only round every pixel once more).
fn srgb_transform(icc: &[u8]) -> Option<Arc<Transform8BitExecutor>> {
    let profile = ColorProfile::new_from_slice(icc).ok()?;
    if profile.color_space != DataColorSpace::Rgb {
        return None;
    }
    let transform = profile
        .create_transform_8bit(
            Layout::Rgb,
            &ColorProfile::new_srgb(),
            Layout::Rgb,
            TransformOptions::default(),
        )
        .ok()?;
    // A grid of colours through the whole cube: a profile that keeps each within one step
    // is sRGB, whatever it calls itself.
    const STEPS: [u8; 9] = [0, 32, 64, 96, 128, 160, 192, 224, 255];
    let probe: Vec<u8> = STEPS
        .iter()
        .flat_map(|&r| {
            STEPS
                .iter()
                .flat_map(move |&g| STEPS.iter().map(move |&b| [r, g, b]))
        })
        .flatten()
        .collect();
    let mut out = vec![0u8; probe.len()];
    transform.transform(&probe, &mut out).ok()?;
    if probe.iter().zip(&out).all(|(a, b)| a.abs_diff(*b) <= 1) {
        return None;
    }
    Some(transform)
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
fn on_white(rgba: &image::RgbaImage) -> RgbImage {
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
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

/// A tiny WebP copy of `image` as a `data:` URI, for pages to show while it loads.
fn placeholder(resizer: &mut Resizer, image: &Image<'_>) -> Result<String, UploadRefusal> {
    let (width, height) = placeholder_size(image.width(), image.height());
    let tiny = resize(resizer, image, width, height, false)?;
    let webp = webp::Encoder::from_rgb(tiny.buffer(), width, height).encode(PLACEHOLDER_QUALITY);
    Ok(format!(
        "data:image/webp;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&*webp)
    ))
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

#[cfg(test)]
mod tests {
    use image::codecs::png::PngEncoder;
    use image::codecs::webp::WebPEncoder;
    use image::{ImageEncoder, Rgb};

    use super::*;

    /// A 64×48 picture of one colour in `format`, carrying `icc` if given.
    fn flat(color: [u8; 3], format: ImageFormat, icc: Option<Vec<u8>>) -> Vec<u8> {
        fn write(mut encoder: impl ImageEncoder, icc: Option<Vec<u8>>, color: [u8; 3]) {
            if let Some(icc) = icc {
                encoder.set_icc_profile(icc).unwrap();
            }
            let image = RgbImage::from_pixel(64, 48, Rgb(color));
            encoder
                .write_image(image.as_raw(), 64, 48, ExtendedColorType::Rgb8)
                .unwrap();
        }
        let mut out = Vec::new();
        match format {
            ImageFormat::Png => write(PngEncoder::new(&mut out), icc, color),
            ImageFormat::Jpeg => write(JpegEncoder::new_with_quality(&mut out, 95), icc, color),
            ImageFormat::WebP => write(WebPEncoder::new_lossless(&mut out), icc, color),
            _ => unreachable!(),
        }
        out
    }

    fn centre(upload: &[u8]) -> [u8; 3] {
        decode(upload).unwrap().0.get_pixel(32, 24).0
    }

    #[test]
    fn a_display_p3_picture_becomes_more_saturated_in_srgb() {
        // P3 (180, 100, 100) is sRGB (193, 95, 98) by the P3→sRGB matrix: in the smaller
        // gamut the same colour needs more red and less green.
        let p3 = ColorProfile::new_display_p3().encode().unwrap();
        for format in [ImageFormat::Png, ImageFormat::WebP, ImageFormat::Jpeg] {
            let [r, g, b] = centre(&flat([180, 100, 100], format, Some(p3.clone())));
            assert!((189..=197).contains(&r), "{format:?}: red {r}");
            assert!((91..=98).contains(&g), "{format:?}: green {g}");
            assert!((94..=101).contains(&b), "{format:?}: blue {b}");
        }
    }

    #[test]
    fn an_adobe_rgb_green_loses_its_red_in_srgb() {
        // Adobe RGB (100, 180, 100) is about sRGB (0, 181, 95): Adobe RGB's green primary
        // lies far outside sRGB's, so its greens are made of "negative red".
        let adobe = ColorProfile::new_adobe_rgb().encode().unwrap();
        let [r, g, b] = centre(&flat([100, 180, 100], ImageFormat::Jpeg, Some(adobe)));
        assert!(r <= 20, "red {r}");
        assert!((176..=186).contains(&g), "green {g}");
        assert!((88..=100).contains(&b), "blue {b}");
    }

    #[test]
    fn without_a_profile_or_with_srgb_the_pixels_are_left_alone() {
        let srgb = ColorProfile::new_srgb().encode().unwrap();
        for format in [ImageFormat::Png, ImageFormat::WebP] {
            assert_eq!(
                centre(&flat([180, 100, 100], format, None)),
                [180, 100, 100]
            );
            let with_srgb = flat([180, 100, 100], format, Some(srgb.clone()));
            assert_eq!(centre(&with_srgb), [180, 100, 100], "{format:?}");
        }
        let mut image = RgbImage::from_pixel(4, 4, Rgb([180, 100, 100]));
        assert!(!to_srgb(&mut image, &srgb));
    }

    #[test]
    fn a_profile_that_cannot_be_read_is_ignored_not_refused() {
        let mut garbage = b"acspnot really a profile".repeat(20);
        garbage[36..40].copy_from_slice(b"acsp");
        let upload = flat([180, 100, 100], ImageFormat::Png, Some(garbage.clone()));
        assert_eq!(centre(&upload), [180, 100, 100]);
        assert!(process(&upload).is_ok());
        // A grey profile says nothing about RGB pixels.
        let mut grey = ColorProfile::new_srgb();
        grey.color_space = DataColorSpace::Gray;
        let mut image = RgbImage::from_pixel(4, 4, Rgb([180, 100, 100]));
        assert!(!to_srgb(&mut image, &grey.encode().unwrap_or(garbage)));
        assert_eq!(image.get_pixel(0, 0).0, [180, 100, 100]);
    }
}
