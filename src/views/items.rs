//! The small view types pages list and show: a section link, an article in a list, and
//! an article as its page shows it.

use crate::core::ArticleId;
use crate::core::article::{ArticleSummary, PublicArticle};
use crate::core::authors::author_slug;
use crate::core::picture::Picture;
use crate::core::section::Section;
use crate::core::site::Site;
use crate::core::tags::Tag;
use crate::core::time::timestamp_to_utc;

/// A link to a tag's page.
#[derive(Debug, Clone)]
pub struct TagLink {
    pub name: String,
    /// `/tag/{slug}`, the Arabic slug percent-encoded.
    pub href: String,
}

/// What a tag's slug keeps as it is in a URL: ASCII letters, digits and the hyphen.
const SLUG_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-');

/// The path of a tag's page.
pub fn tag_path(slug: &str) -> String {
    format!(
        "/tag/{}",
        percent_encoding::utf8_percent_encode(slug, SLUG_KEPT)
    )
}

/// The path of an author's page, from the author's slug.
pub fn author_path(slug: &str) -> String {
    format!(
        "/author/{}",
        percent_encoding::utf8_percent_encode(slug, SLUG_KEPT)
    )
}

impl From<&Tag> for TagLink {
    fn from(tag: &Tag) -> Self {
        TagLink {
            name: tag.name.clone(),
            href: tag_path(&tag.slug),
        }
    }
}

/// A link to a section, for lists and the article header.
#[derive(Debug, Clone)]
pub struct SectionLink {
    pub slug: String,
    pub name: String,
}

impl From<&Section> for SectionLink {
    fn from(section: &Section) -> Self {
        SectionLink {
            slug: section.slug.clone(),
            name: section.name.clone(),
        }
    }
}

/// One article in a list.
#[derive(Debug, Clone)]
pub struct ListItem {
    pub id: ArticleId,
    pub title: String,
    pub summary: String,
    pub section: Option<SectionLink>,
    /// "6 كانون الثاني 2017 - 11:32"
    pub when: String,
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
    /// The article's lead picture, where the list shows one (the lead story).
    pub picture: Option<LeadPicture>,
    /// A small copy of it, where the list shows that instead (the other stories).
    pub thumbnail: Option<Thumbnail>,
}

impl ListItem {
    pub fn new(summary: ArticleSummary, sections: &[Section], site: &Site) -> Self {
        let instant = timestamp_to_utc(summary.published_at);
        ListItem {
            id: summary.id,
            title: summary.title,
            summary: summary.summary,
            section: section_link(sections, summary.section_id),
            when: format!(
                "{} - {}",
                site.dates.date(instant),
                site.dates.time(instant)
            ),
            datetime: site.dates.machine(instant),
            picture: None,
            thumbnail: None,
        }
    }

    /// Shows `picture` with the item (it is the item's lead picture).
    pub fn with_picture(mut self, picture: Option<&Picture>, site: &Site) -> Self {
        self.picture = picture.map(|picture| LeadPicture::new(picture, site));
        self
    }

    pub fn list(summaries: Vec<ArticleSummary>, sections: &[Section], site: &Site) -> Vec<Self> {
        summaries
            .into_iter()
            .map(|summary| ListItem::new(summary, sections, site))
            .collect()
    }

    /// The list with a thumbnail by each item whose lead picture is among `pictures`.
    pub fn list_with_thumbnails(
        summaries: Vec<ArticleSummary>,
        sections: &[Section],
        site: &Site,
        pictures: &[Picture],
    ) -> Vec<Self> {
        summaries
            .into_iter()
            .map(|summary| {
                let thumbnail = Thumbnail::of(summary.lead_picture, pictures);
                ListItem {
                    thumbnail,
                    ..ListItem::new(summary, sections, site)
                }
            })
            .collect()
    }
}

/// A list item's small picture: the narrowest files (320 wide), loaded lazily. Its text
/// is the headline beside it, so it says nothing itself (`alt=""`).
#[derive(Debug, Clone)]
pub struct Thumbnail {
    pub webp: String,
    pub jpeg: String,
    pub width: u32,
    pub height: u32,
}

impl Thumbnail {
    /// The thumbnail of the picture `id` names, if it is among `pictures`.
    pub fn of(id: Option<crate::core::picture::PictureId>, pictures: &[Picture]) -> Option<Self> {
        use crate::core::picture::{Format, scaled_height, served_widths, variant_name};
        let picture = pictures.iter().find(|p| Some(p.id) == id)?;
        let width = served_widths(picture.width)[0];
        Some(Thumbnail {
            webp: picture.url(&variant_name(width, Format::WebP)),
            jpeg: picture.url(&variant_name(width, Format::Jpeg)),
            width,
            height: scaled_height(picture.width, picture.height, width),
        })
    }
}

/// The article as its page shows it.
#[derive(Debug, Clone)]
pub struct ArticleView {
    pub id: ArticleId,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub section: Option<SectionLink>,
    /// "الجمعة 6 كانون الثاني 2017 - 11:32"
    pub published: String,
    pub published_datetime: String,
    pub hijri: Option<String>,
    /// When it was last changed, if that was after it appeared: "آخر تحديث: …".
    pub updated: Option<Updated>,
    pub permalink: String,
    pub lead: Option<LeadPicture>,
    pub tags: Vec<TagLink>,
    /// The byline's page (`None` for a byline without a letter or digit).
    pub author_href: Option<String>,
    /// Minutes to read the body.
    pub reading_minutes: i64,
    /// Links that share the permalink to messengers and networks.
    pub share_links: Vec<super::share_links::ShareLink>,
}

/// The time of an article's last change, for readers and for `<time datetime>`.
#[derive(Debug, Clone)]
pub struct Updated {
    pub when: String,
    pub datetime: String,
}

/// A change this soon after publication (a typo fixed at once) is part of publishing.
const UPDATE_SHOWN_AFTER_SECONDS: i64 = 5 * 60;

/// The picture an article leads with, as `<picture>` markup needs it.
#[derive(Debug, Clone)]
pub struct LeadPicture {
    pub webp_srcset: String,
    pub jpeg_srcset: String,
    /// For browsers without `srcset`.
    pub fallback: String,
    /// The picture's own size: the browser reserves its shape before it loads.
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// The share card (1200×630) at its full address.
    pub card_url: String,
    /// A tiny copy shown under the picture while it loads (a `data:` URI), if it has one.
    pub placeholder: Option<String>,
}

impl LeadPicture {
    pub fn new(picture: &crate::core::picture::Picture, site: &Site) -> Self {
        use crate::core::picture::Format;
        LeadPicture {
            webp_srcset: picture.srcset(Format::WebP),
            jpeg_srcset: picture.srcset(Format::Jpeg),
            fallback: picture.fallback_url(),
            width: picture.width,
            height: picture.height,
            alt: picture.text.alt.clone(),
            caption: picture.text.caption.clone(),
            credit: picture.text.credit.clone(),
            card_url: format!("{}{}", site.base_url, picture.card_url()),
            placeholder: picture.placeholder_image().map(str::to_owned),
        }
    }
}

impl ArticleView {
    pub fn new(article: PublicArticle, sections: &[Section], site: &Site) -> Self {
        let instant = timestamp_to_utc(article.published_at);
        let permalink = site.permalink(article.id);
        ArticleView {
            id: article.id,
            reading_minutes: crate::core::text::reading_minutes(&article.body_html),
            tags: article.tags.iter().map(TagLink::from).collect(),
            author_href: Some(author_slug(&article.author))
                .filter(|slug| !slug.is_empty())
                .map(|slug| author_path(&slug)),
            share_links: super::share_links::share_links(&permalink, &article.title),
            permalink,
            title: article.title,
            summary: article.summary,
            body_html: article.body_html,
            author: article.author,
            section: section_link(sections, article.section_id),
            published: site.dates.date_time(instant),
            published_datetime: site.dates.machine(instant),
            hijri: site.dates.hijri_date(instant),
            updated: (article.updated_at - article.published_at > UPDATE_SHOWN_AFTER_SECONDS).then(
                || {
                    let changed = timestamp_to_utc(article.updated_at);
                    Updated {
                        when: site.dates.date_time(changed),
                        datetime: site.dates.machine(changed),
                    }
                },
            ),
            lead: article
                .lead_picture
                .as_ref()
                .map(|picture| LeadPicture::new(picture, site)),
        }
    }
}

/// The section an article or list item is filed in, as a link.
pub fn section_link(sections: &[Section], id: crate::core::SectionId) -> Option<SectionLink> {
    sections.iter().find(|s| s.id == id).map(SectionLink::from)
}
