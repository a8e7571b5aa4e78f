//! The share links under an article's headline: plain links to messengers and networks
//! that carry the short permalink.

/// A link that hands an article to another service: plain links (nothing of theirs is
/// loaded on our pages, no script, no tracking; they see the reader only on a click).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareLink {
    pub label: &'static str,
    /// What the link is for screen readers: "شارك عبر واتساب".
    pub description: &'static str,
    pub href: String,
}

/// The share links of an article: WhatsApp, Telegram, Facebook, X and e-mail.
pub fn share_links(permalink: &str, title: &str) -> Vec<ShareLink> {
    let query = |pairs: &[(&str, &str)]| serde_urlencoded::to_string(pairs).unwrap_or_default();
    let text = format!("{title} {permalink}");
    vec![
        ShareLink {
            label: "واتساب",
            description: "شارك عبر واتساب",
            href: format!("https://wa.me/?{}", query(&[("text", &text)])),
        },
        ShareLink {
            label: "تلغرام",
            description: "شارك عبر تلغرام",
            href: format!(
                "https://t.me/share/url?{}",
                query(&[("url", permalink), ("text", title)])
            ),
        },
        ShareLink {
            label: "فيسبوك",
            description: "شارك على فيسبوك",
            href: format!(
                "https://www.facebook.com/sharer/sharer.php?{}",
                query(&[("u", permalink)])
            ),
        },
        ShareLink {
            label: "X",
            description: "شارك على منصة X",
            href: format!(
                "https://x.com/intent/post?{}",
                query(&[("url", permalink), ("text", title)])
            ),
        },
        ShareLink {
            label: "البريد",
            description: "أرسل الرابط بالبريد الإلكتروني",
            // mailto wants %20, not +, for spaces.
            href: format!(
                "mailto:?subject={}&body={}",
                query(&[("", title)])
                    .trim_start_matches('=')
                    .replace('+', "%20"),
                query(&[("", permalink)]).trim_start_matches('=')
            ),
        },
    ]
}
