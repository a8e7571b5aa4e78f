//! Pictures of the media library: what an editor says about one (alt text, caption,
//! credit), the sizes it is served in, and the addresses of those sizes.
//!
//! A picture is never served as uploaded: it is decoded, turned upright, and encoded again
//! by us in every served size (see `app::pictures`), so what readers get carries no
//! metadata of whoever took it. Its served files are named by a hash of their pixels, so
//! their addresses never change meaning and can be cached for a year.

pub use crate::core::ids::PictureId;

/// Widths a picture is served at (never wider than it was uploaded).
pub const WIDTHS: [u32; 5] = [320, 640, 960, 1280, 1920];
/// The share card (`og:image`): a 1200×630 crop, what WhatsApp, Telegram and Facebook show.
pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;
/// The placeholder shown while a picture loads fits this many pixels a side: a few hundred
/// bytes of WebP, blurred by the browser as it stretches it.
pub const PLACEHOLDER_SIDE: u32 = 16;
/// Largest upload accepted, in bytes and in pixels (a phone photo is 12–48 megapixels).
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;
pub const MAX_PIXELS: u64 = 50_000_000;
/// Longest side accepted, whatever the pixel count (a 1×100,000 strip is not a photo).
pub const MAX_SIDE: u32 = 20_000;

const MAX_ALT: usize = 250;
const MAX_CAPTION: usize = 300;
const MAX_CREDIT: usize = 100;

/// The widths a picture `width` pixels wide is served at: every standard width it
/// reaches, or its own width when it is narrower than the smallest.
pub fn served_widths(width: u32) -> Vec<u32> {
    let widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w <= width).collect();
    if widths.is_empty() {
        vec![width.max(1)]
    } else {
        widths
    }
}

/// The height of a `width`-wide copy of a `full_width`×`full_height` picture.
pub fn scaled_height(full_width: u32, full_height: u32, width: u32) -> u32 {
    let height = u64::from(full_height) * u64::from(width) / u64::from(full_width.max(1));
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

/// The size of the placeholder of a `width`×`height` picture: its shape, within
/// [`PLACEHOLDER_SIDE`] a side (at least one pixel).
pub fn placeholder_size(width: u32, height: u32) -> (u32, u32) {
    let (width, height) = (width.max(1), height.max(1));
    if width >= height {
        let side = width.min(PLACEHOLDER_SIDE);
        (side, scaled_height(width, height, side))
    } else {
        let side = height.min(PLACEHOLDER_SIDE);
        (scaled_height(height, width, side), side)
    }
}

/// A served file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    WebP,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::WebP => "webp",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::WebP => "image/webp",
        }
    }

    /// The format of a served file's name (`640.webp`), if it is one of ours.
    pub fn of_name(name: &str) -> Option<Format> {
        match name.rsplit_once('.')?.1 {
            "jpg" => Some(Format::Jpeg),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }
}

/// The name of the file of one width in one format: `640.webp`.
pub fn variant_name(width: u32, format: Format) -> String {
    format!("{width}.{}", format.extension())
}

/// The name of the share card's file.
pub const CARD_NAME: &str = "card.jpg";

/// What the editor says about a picture, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PictureText {
    /// What the picture shows, for readers who cannot see it (required).
    pub alt: String,
    pub caption: String,
    /// Who took it ("تصوير: …" is added when shown).
    pub credit: String,
}

/// What is wrong with a [`PictureText`], in Arabic, by field.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PictureTextErrors {
    pub alt: Option<&'static str>,
    pub caption: Option<&'static str>,
    pub credit: Option<&'static str>,
}

impl PictureTextErrors {
    pub fn is_empty(&self) -> bool {
        self.alt.is_none() && self.caption.is_none() && self.credit.is_none()
    }
}

impl PictureText {
    /// Trimmed, and checked: alt text required, each field within its length.
    pub fn parse(alt: &str, caption: &str, credit: &str) -> Result<PictureText, PictureTextErrors> {
        let text = PictureText {
            alt: alt.trim().to_owned(),
            caption: caption.trim().to_owned(),
            credit: credit.trim().to_owned(),
        };
        let mut errors = PictureTextErrors::default();
        if text.alt.is_empty() {
            errors.alt = Some("اكتب وصفًا للصورة لمن لا يراها (النص البديل).");
        } else if text.alt.chars().count() > MAX_ALT {
            errors.alt = Some("الوصف طويل: 250 حرفًا على الأكثر.");
        }
        if text.caption.chars().count() > MAX_CAPTION {
            errors.caption = Some("التعليق طويل: 300 حرف على الأكثر.");
        }
        if text.credit.chars().count() > MAX_CREDIT {
            errors.credit = Some("اسم المصوّر طويل: 100 حرف على الأكثر.");
        }
        if errors.is_empty() {
            Ok(text)
        } else {
            Err(errors)
        }
    }
}

/// Why an upload is refused, in words an editor understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadRefusal {
    Empty,
    TooLarge,
    NotAPicture,
    Unreadable,
    TooManyPixels,
}

impl UploadRefusal {
    pub fn message(self) -> &'static str {
        match self {
            UploadRefusal::Empty => "اختر صورة لرفعها.",
            UploadRefusal::TooLarge => "الملف كبير: 25 ميغابايت على الأكثر.",
            UploadRefusal::NotAPicture => {
                "هذا الملف ليس صورة نقبلها: نقبل صور JPEG وPNG وWebP فقط."
            }
            UploadRefusal::Unreadable => "تعذّرت قراءة الصورة: قد يكون الملف تالفًا أو ناقصًا.",
            UploadRefusal::TooManyPixels => {
                "أبعاد الصورة كبيرة: 50 ميغابكسل و20000 بكسل في كل جهة على الأكثر."
            }
        }
    }
}

/// A picture of the library as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub id: PictureId,
    /// Names its files: a hash of its pixels.
    pub hash: String,
    pub width: u32,
    pub height: u32,
    pub text: PictureText,
    /// Shown while it loads: a `data:image/webp` URI of a tiny copy of it; "#rrggbb" (its
    /// average colour) for pictures stored before, which pages cannot show (the CSP allows
    /// no inline style).
    pub placeholder: String,
    pub created_at: i64,
}

impl Picture {
    /// The address of one of its files.
    pub fn url(&self, name: &str) -> String {
        format!("/media/{}/{name}", self.hash)
    }

    /// `srcset` of one format: every served width.
    pub fn srcset(&self, format: Format) -> String {
        served_widths(self.width)
            .iter()
            .map(|w| format!("{} {w}w", self.url(&variant_name(*w, format))))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The JPEG a browser without `srcset` shows: the widest up to 1280.
    pub fn fallback_url(&self) -> String {
        let widths = served_widths(self.width);
        let width = widths
            .iter()
            .copied()
            .filter(|w| *w <= 1280)
            .max()
            .unwrap_or(widths[0]);
        self.url(&variant_name(width, Format::Jpeg))
    }

    pub fn card_url(&self) -> String {
        self.url(CARD_NAME)
    }

    /// The placeholder as an `<img src>`, if it is an image.
    pub fn placeholder_image(&self) -> Option<&str> {
        Some(self.placeholder.as_str()).filter(|p| p.starts_with("data:image/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_never_served_wider_than_uploaded() {
        assert_eq!(served_widths(4000), WIDTHS.to_vec());
        assert_eq!(served_widths(1000), vec![320, 640, 960]);
        assert_eq!(served_widths(320), vec![320]);
        assert_eq!(served_widths(200), vec![200]);
        assert_eq!(scaled_height(4000, 3000, 640), 480);
        assert_eq!(scaled_height(100_000, 1, 320), 1);
    }

    #[test]
    fn alt_text_is_required_and_fields_are_bounded() {
        let ok = PictureText::parse(" جسر في حلب ", "", "").unwrap();
        assert_eq!(ok.alt, "جسر في حلب");
        let errors = PictureText::parse("  ", &"ت".repeat(301), "").unwrap_err();
        assert!(errors.alt.is_some() && errors.caption.is_some() && errors.credit.is_none());
    }

    #[test]
    fn placeholders_keep_the_shape_within_a_few_pixels() {
        assert_eq!(placeholder_size(4000, 3000), (16, 12));
        assert_eq!(placeholder_size(3000, 4000), (12, 16));
        assert_eq!(placeholder_size(1600, 1000), (16, 10));
        assert_eq!(placeholder_size(10, 5), (10, 5));
        assert_eq!(placeholder_size(20_000, 20), (16, 1));
        assert_eq!(placeholder_size(0, 0), (1, 1));
    }

    #[test]
    fn only_an_image_placeholder_is_shown() {
        let mut picture = Picture {
            id: PictureId::from_db(1),
            hash: "abc".into(),
            width: 16,
            height: 9,
            text: PictureText::default(),
            placeholder: "#a0b0c0".into(),
            created_at: 0,
        };
        assert_eq!(picture.placeholder_image(), None);
        picture.placeholder = "data:image/webp;base64,UklGRg==".into();
        assert_eq!(
            picture.placeholder_image(),
            Some("data:image/webp;base64,UklGRg==")
        );
    }

    #[test]
    fn served_names_say_their_format() {
        assert_eq!(variant_name(640, Format::WebP), "640.webp");
        assert_eq!(Format::of_name("640.webp"), Some(Format::WebP));
        assert_eq!(Format::of_name(CARD_NAME), Some(Format::Jpeg));
        assert_eq!(Format::of_name("640.png"), None);
    }
}
