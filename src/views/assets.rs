//! Static files, compiled into the binary so that one file is the whole site. Each is served
//! under a URL that carries a hash of its content, with a one-year cache lifetime: a changed
//! file gets a new URL, so browsers never keep a stale copy.
//!
//! The version is the first 8 hex digits of the file's SHA-256: a stable hash, so that the
//! stylesheet can name the fonts by the same URLs (`static/fonts/subset.py` writes them), and
//! the page's preload of the body font asks for exactly what the stylesheet loads.

use std::fmt::Write;
use std::sync::LazyLock;

use sha2::{Digest, Sha256};

pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
}

/// An asset under `static/`, compiled in.
macro_rules! asset {
    ($name:literal, $content_type:literal) => {
        Asset {
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!("../../static/", $name)),
        }
    };
}

pub const ASSETS: &[Asset] = &[
    asset!("style.css", "text/css; charset=utf-8"),
    asset!("display.js", "text/javascript; charset=utf-8"),
    asset!("admin.js", "text/javascript; charset=utf-8"),
    // Subsets made by static/fonts/subset.py from static/fonts/source/ (not served).
    asset!("fonts/NotoNaskhArabic-Regular.woff2", "font/woff2"),
    asset!("fonts/NotoNaskhArabic-Bold.woff2", "font/woff2"),
    asset!("fonts/OFL.txt", "text/plain; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
    // The favicon drawn as a PNG by static/logo.sh: the publisher logo of the JSON-LD
    // (Google takes no SVG there).
    asset!("logo.png", "image/png"),
];

/// The width and height of `logo.png`.
pub const LOGO_SIZE: u32 = 512;

pub fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.name == name)
}

/// The versioned URLs, computed once.
pub fn asset_urls() -> &'static AssetUrls {
    static URLS: LazyLock<AssetUrls> = LazyLock::new(AssetUrls::new);
    &URLS
}

/// Versioned URLs of the assets the layout links to.
#[derive(Debug, Clone)]
pub struct AssetUrls {
    pub stylesheet: String,
    pub display_script: String,
    pub admin_script: String,
    pub favicon: String,
    /// The publisher logo, a [`LOGO_SIZE`]-pixel square PNG.
    pub logo: String,
    /// The fonts of the body text and of the headings, preloaded by every page: both are
    /// above the fold, and a font that arrives after the first paint moves the text.
    pub body_font: String,
    pub bold_font: String,
}

impl AssetUrls {
    fn new() -> Self {
        AssetUrls {
            stylesheet: versioned_url("style.css"),
            display_script: versioned_url("display.js"),
            admin_script: versioned_url("admin.js"),
            favicon: versioned_url("favicon.svg"),
            logo: versioned_url("logo.png"),
            body_font: versioned_url(BODY_FONT),
            bold_font: versioned_url(BOLD_FONT),
        }
    }
}

const BODY_FONT: &str = "fonts/NotoNaskhArabic-Regular.woff2";
const BOLD_FONT: &str = "fonts/NotoNaskhArabic-Bold.woff2";

fn versioned_url(name: &str) -> String {
    let bytes = find(name).map_or(&[][..], |asset| asset.bytes);
    let digest = Sha256::digest(bytes);
    let mut url = format!("/static/{name}?v=");
    for byte in &digest[..4] {
        let _ = write!(url, "{byte:02x}");
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stylesheet() -> &'static str {
        std::str::from_utf8(find("style.css").unwrap().bytes).unwrap()
    }

    #[test]
    fn urls_carry_the_first_bytes_of_the_sha256() {
        // SHA-256("") = e3b0c442…, the version of a missing file.
        assert_eq!(
            versioned_url("no-such-file"),
            "/static/no-such-file?v=e3b0c442"
        );
        let css = versioned_url("style.css");
        assert!(css.starts_with("/static/style.css?v="), "{css}");
        assert_eq!(css.len(), "/static/style.css?v=".len() + 8);
    }

    #[test]
    fn the_logo_is_a_png_of_the_size_pages_say() {
        let png = find("logo.png").unwrap().bytes;
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        // IHDR, the first chunk: width and height, big-endian, after its length and name.
        let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!((size(16), size(20)), (LOGO_SIZE, LOGO_SIZE));
    }

    /// The stylesheet loads every font under its current versioned URL (rerun
    /// static/fonts/subset.py after changing a font), and the preload names the same URL.
    #[test]
    fn the_stylesheet_names_each_font_by_its_versioned_url() {
        let css = stylesheet();
        let fonts: Vec<_> = ASSETS
            .iter()
            .filter(|asset| asset.name.ends_with(".woff2"))
            .collect();
        assert_eq!(fonts.len(), 2);
        for font in fonts {
            let url = versioned_url(font.name);
            assert!(
                css.contains(&format!("url(\"{url}\")")),
                "{url} not in style.css"
            );
        }
        let urls = asset_urls();
        assert!(urls.body_font.contains("Regular") && css.contains(&urls.body_font));
        assert!(urls.bold_font.contains("Bold") && css.contains(&urls.bold_font));
    }
}
