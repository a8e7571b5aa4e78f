//! What a page tells other programs about itself: the OpenGraph and Twitter tags that
//! social networks turn into a share card, the JSON-LD `NewsArticle` search engines read,
//! and the feed a feed reader finds with `<link rel="alternate">`.

use serde_json::json;

use super::assets::{LOGO_SIZE, asset_urls};
use super::items::ArticleView;
use crate::core::site::Site;
use crate::core::time::timestamp_to_utc;

/// OpenGraph (and Twitter card) tags of a page.
#[derive(Debug, Clone)]
pub struct ShareCard {
    /// `og:type`: "article" or "website".
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    /// Absolute URL of the page.
    pub url: String,
    pub article: Option<ArticleTimes>,
    /// The picture of the card: `og:image`, with a large Twitter card.
    pub image: Option<CardImage>,
}

/// `og:image` and its size and description.
#[derive(Debug, Clone)]
pub struct CardImage {
    /// Absolute URL of the 1200×630 card.
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// The `article:*` tags of an article's card.
#[derive(Debug, Clone)]
pub struct ArticleTimes {
    /// RFC 3339.
    pub published: String,
    pub modified: String,
    pub section: Option<String>,
}

impl ShareCard {
    /// The card of a page that is not an article (home, section).
    pub fn website(title: &str, description: &str, url: String) -> Self {
        ShareCard {
            kind: "website",
            title: title.to_owned(),
            description: description.to_owned(),
            url,
            article: None,
            image: None,
        }
    }
}

/// A feed to advertise on a page, besides the site's own.
#[derive(Debug, Clone)]
pub struct FeedLink {
    pub title: String,
    /// Absolute URL.
    pub url: String,
}

/// The share card and the JSON-LD `NewsArticle` of an article page. `views` is the count
/// the page shows; `published_at`/`updated_at` are Unix seconds from the database.
pub fn article_card(
    article: &ArticleView,
    published_at: i64,
    updated_at: i64,
    views: i64,
    site: &Site,
) -> (ShareCard, String) {
    let published = site.dates.machine(timestamp_to_utc(published_at));
    // A scheduled article edited before it appeared was not modified before it was published.
    let modified = site
        .dates
        .machine(timestamp_to_utc(updated_at.max(published_at)));
    let section = article.section.as_ref().map(|s| s.name.clone());
    let json_ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": published,
        "dateModified": modified,
        "author": {
            "@type": "Person",
            "name": article.author,
            "url": article.author_href.as_ref().map(|href| format!("{}{href}", site.base_url)),
        },
        "publisher": {
            "@type": "Organization",
            "name": site.name,
            "url": format!("{}/", site.base_url),
            // A raster logo: Google does not take an SVG here.
            "logo": {
                "@type": "ImageObject",
                "url": format!("{}{}", site.base_url, asset_urls().logo),
                "width": LOGO_SIZE,
                "height": LOGO_SIZE,
            },
        },
        "inLanguage": "ar",
        "url": article.permalink,
        "mainEntityOfPage": { "@type": "WebPage", "@id": article.permalink },
        "articleSection": section,
        "image": article.lead.as_ref().map(|lead| vec![lead.card_url.clone()]),
        "keywords": (!article.tags.is_empty()).then(|| {
            article.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ")
        }),
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/ReadAction",
            "userInteractionCount": views,
        },
    });
    let card = ShareCard {
        kind: "article",
        title: article.title.clone(),
        description: article.summary.clone(),
        url: article.permalink.clone(),
        article: Some(ArticleTimes {
            published,
            modified,
            section,
        }),
        image: article.lead.as_ref().map(|lead| CardImage {
            url: lead.card_url.clone(),
            width: crate::core::picture::CARD_WIDTH,
            height: crate::core::picture::CARD_HEIGHT,
            alt: lead.alt.clone(),
        }),
    };
    (card, script_safe_json(&json_ld))
}

/// JSON that can be put verbatim inside `<script type="application/ld+json">`: `<`, `>`
/// and `&` only occur inside JSON strings, where `\u003c` etc. mean the same characters,
/// so a title containing `</script>` cannot end the element.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_close_the_script_element() {
        let value = json!({ "headline": "</script><script>alert(1)</script> & <!--" });
        let safe = script_safe_json(&value);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let parsed: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(parsed, value);
    }
}
