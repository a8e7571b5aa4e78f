//! Static files, compiled into the binary so that one file is the whole site. Each is served
//! under a URL that carries a hash of its content, with a one-year cache lifetime: a changed
//! file gets a new URL, so browsers never keep a stale copy.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

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
    asset!("font-size.js", "text/javascript; charset=utf-8"),
    asset!("fonts/NotoNaskhArabic-Regular.woff2", "font/woff2"),
    asset!("fonts/NotoNaskhArabic-Bold.woff2", "font/woff2"),
    asset!("fonts/OFL.txt", "text/plain; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
];

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
    pub font_size_script: String,
    pub favicon: String,
}

impl AssetUrls {
    fn new() -> Self {
        AssetUrls {
            stylesheet: versioned_url("style.css"),
            font_size_script: versioned_url("font-size.js"),
            favicon: versioned_url("favicon.svg"),
        }
    }
}

fn versioned_url(name: &str) -> String {
    let bytes = find(name).map_or(&[][..], |asset| asset.bytes);
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("/static/{name}?v={:08x}", hasher.finish() as u32)
}
