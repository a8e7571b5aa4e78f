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

pub const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../static/style.css"),
    },
    Asset {
        name: "font-size.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../static/font-size.js"),
    },
    Asset {
        name: "fonts/NotoNaskhArabic-Regular.woff2",
        content_type: "font/woff2",
        bytes: include_bytes!("../../static/fonts/NotoNaskhArabic-Regular.woff2"),
    },
    Asset {
        name: "fonts/NotoNaskhArabic-Bold.woff2",
        content_type: "font/woff2",
        bytes: include_bytes!("../../static/fonts/NotoNaskhArabic-Bold.woff2"),
    },
    Asset {
        name: "fonts/OFL.txt",
        content_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../../static/fonts/OFL.txt"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../../static/favicon.svg"),
    },
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
