//! Articles: their publication status and what readers may see of them, what an editor
//! typed into the article form (`ArticleDraft`) and what it means once valid
//! (`ArticleInput`), and the shapes in which the rest of the program reads articles.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::ids::{ArticleId, PictureId, SectionId};
use super::picture::Picture;
use super::section::Section;
use super::tags::{Tag, parse_tags};
use super::text::{has_forbidden_block_chars, has_forbidden_inline_chars};

/// What an editor decided: kept as a draft, or published (at `published_at`, which may
/// lie in the future: then the article is scheduled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Draft,
    Published,
}

impl Status {
    /// The stored and submitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
        }
    }

    pub fn parse(raw: &str) -> Option<Status> {
        match raw {
            "draft" => Some(Status::Draft),
            "published" => Some(Status::Published),
            _ => None,
        }
    }
}

/// Where an article stands for readers at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    Draft,
    /// Published with a time still to come: readers see nothing yet.
    Scheduled,
    /// Readers see it.
    Visible,
}

impl Visibility {
    /// THE rule of what readers may see: published, and its publication time has come.
    /// `db::articles::visible_at` states the same rule in SQL for every query that lists
    /// articles.
    pub fn of(status: Status, published_at: i64, now: i64) -> Visibility {
        match status {
            Status::Draft => Visibility::Draft,
            Status::Published if published_at > now => Visibility::Scheduled,
            Status::Published => Visibility::Visible,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Draft => "draft",
            Visibility::Scheduled => "scheduled",
            Visibility::Visible => "published",
        }
    }

    /// The newsroom list's filter values ("draft", "scheduled", "published").
    pub fn parse(raw: &str) -> Option<Visibility> {
        [
            Visibility::Draft,
            Visibility::Scheduled,
            Visibility::Visible,
        ]
        .into_iter()
        .find(|v| v.as_str() == raw)
    }

    /// The newsroom's word for it.
    pub fn label(self) -> &'static str {
        match self {
            Visibility::Draft => "مسودة",
            Visibility::Scheduled => "مجدول",
            Visibility::Visible => "منشور",
        }
    }
}

/// An article as a reader's page shows it: the rendered body, not the Markdown source.
#[derive(Debug, Clone)]
pub struct PublicArticle {
    pub id: ArticleId,
    pub section_id: SectionId,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub published_at: i64,
    pub updated_at: i64,
    pub views: i64,
    /// The picture the article leads with.
    pub lead_picture: Option<Picture>,
    pub tags: Vec<Tag>,
}

/// One line of a list of articles: home page, section page, "المزيد", feeds.
#[derive(Debug, Clone)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub section_id: SectionId,
    pub title: String,
    pub summary: String,
    pub published_at: i64,
    /// The picture the article leads with (feeds and sitemaps name it).
    pub lead_picture: Option<PictureId>,
}

/// What the newsroom's front page shows about reading: views per day from `first_day` to
/// `today` (UTC day numbers, as views are counted), the most read of today, the last 7
/// and the last 30 days (id, title, views), and what is scheduled next (id, title, time).
pub struct Dashboard {
    pub first_day: i64,
    pub today: i64,
    pub per_day: Vec<(i64, i64)>,
    pub top_today: Vec<(ArticleId, String, i64)>,
    pub top_week: Vec<(ArticleId, String, i64)>,
    pub top_month: Vec<(ArticleId, String, i64)>,
    pub scheduled: Vec<(ArticleId, String, i64)>,
}

/// Headlines in the article page's "المزيد".
pub const MORE_HEADLINES: usize = 8;

/// "المزيد" under `article`: the newest other articles of its section, filled up with the
/// newest of the others. `section_latest` and `latest` are the newest articles of the
/// section and of the site, at least `count + 1` and `2 * count + 1` of them (when there
/// are that many), so that `count` remain whatever is left out.
pub fn more_headlines(
    article: ArticleId,
    section_latest: &[ArticleSummary],
    latest: &[ArticleSummary],
    count: usize,
) -> Vec<ArticleSummary> {
    let mut more: Vec<ArticleSummary> = section_latest
        .iter()
        .filter(|a| a.id != article)
        .take(count)
        .cloned()
        .collect();
    let missing = count - more.len();
    let fill: Vec<ArticleSummary> = latest
        .iter()
        .filter(|a| a.id != article && !more.iter().any(|m| m.id == a.id))
        .take(missing)
        .cloned()
        .collect();
    more.extend(fill);
    more
}

/// One page of the home page or of a section's page.
#[derive(Debug, Clone)]
pub struct FrontPage {
    /// The newest article, on the first page only.
    pub lead: Option<ArticleSummary>,
    pub items: Vec<ArticleSummary>,
    pub has_next: bool,
}

/// An article as the newsroom edits it: the Markdown source and the version.
#[derive(Debug, Clone)]
pub struct EditableArticle {
    pub id: ArticleId,
    pub section_id: SectionId,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub author: String,
    pub status: Status,
    pub published_at: i64,
    pub updated_at: i64,
    pub version: i64,
    pub views: i64,
    pub lead_picture: Option<PictureId>,
    pub tags: Vec<Tag>,
}

/// One row of the newsroom's article list.
#[derive(Debug, Clone)]
pub struct NewsroomRow {
    pub id: ArticleId,
    pub section_id: SectionId,
    pub title: String,
    pub author: String,
    pub status: Status,
    pub published_at: i64,
    pub views: i64,
}

/// Which articles the newsroom list shows.
#[derive(Debug, Clone, Default)]
pub struct NewsroomFilter {
    pub visibility: Option<Visibility>,
    pub section_id: Option<SectionId>,
    /// Words searched as readers search (titles, summaries and bodies; drafts too).
    pub query: Option<String>,
    /// The author line, exactly.
    pub author: Option<String>,
    pub order: NewsroomOrder,
}

/// How the newsroom list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NewsroomOrder {
    /// By publication time, the latest first.
    #[default]
    Newest,
    /// The most read first.
    MostRead,
    /// The best match of the search first (newest without a search).
    Relevance,
}

impl NewsroomOrder {
    pub fn parse(raw: &str) -> Self {
        match raw {
            "views" => NewsroomOrder::MostRead,
            "relevance" => NewsroomOrder::Relevance,
            _ => NewsroomOrder::Newest,
        }
    }
}

/// An article's line in the sitemap.
#[derive(Debug, Clone)]
pub struct SitemapEntry {
    pub id: ArticleId,
    pub section_id: SectionId,
    pub published_at: i64,
    pub updated_at: i64,
}

/// One search result: what its line on the results page needs.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub id: ArticleId,
    pub section_id: SectionId,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub published_at: i64,
    /// The picture the article leads with (the result shows a thumbnail of it).
    pub lead_picture: Option<PictureId>,
}

pub const TITLE_MIN_CHARS: usize = 5;
pub const TITLE_MAX_CHARS: usize = 300;
pub const SUMMARY_MAX_CHARS: usize = 500;
pub const BODY_MAX_BYTES: usize = 200 * 1024;
pub const AUTHOR_MAX_CHARS: usize = 100;

/// The article's fields exactly as the editor typed them, kept verbatim so that a form
/// with a mistake comes back as typed. Every field defaults to empty, so a missing field
/// is reported next to the field instead of failing the whole request.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ArticleDraft {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub section_id: String,
    pub author: String,
    pub status: String,
    /// `datetime-local` in the newsroom's zone; empty means "now".
    pub published_at: String,
    /// The number of the lead picture in the media library; empty for none.
    pub lead_picture: String,
    /// Tags separated by commas.
    pub tags: String,
}

impl ArticleDraft {
    /// The fields of a saved article, as the edit form shows them.
    pub fn of(article: &EditableArticle, timezone: Tz) -> Self {
        ArticleDraft {
            title: article.title.clone(),
            summary: article.summary.clone(),
            body: article.body.clone(),
            section_id: article.section_id.to_string(),
            author: article.author.clone(),
            status: article.status.as_str().to_owned(),
            published_at: format_local_datetime(article.published_at, timezone),
            lead_picture: article
                .lead_picture
                .map(|id| id.to_string())
                .unwrap_or_default(),
            tags: super::tags::field_text(&article.tags),
        }
    }
}

/// What the fields are checked against.
#[derive(Debug, Clone, Copy)]
pub struct ArticleRules<'a> {
    /// The sections an article may be filed in.
    pub sections: &'a [Section],
    /// The newsroom's zone, in which the publication time is typed.
    pub timezone: Tz,
    /// Used when the author field is left empty: the signed-in editor.
    pub default_author: &'a str,
}

/// A valid article, ready to save.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub section_id: SectionId,
    pub author: String,
    pub status: Status,
    /// Unix seconds; `None` means "now".
    pub published_at: Option<i64>,
    /// Checked for existence where the library is at hand (the web layer, before saving).
    pub lead_picture: Option<PictureId>,
    /// `None` leaves the article's tags as they are (restoring a revision: revisions keep
    /// the text, not the tags).
    pub tags: Option<Vec<Tag>>,
}

/// One Arabic message per field in error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    pub title: Option<&'static str>,
    pub summary: Option<&'static str>,
    pub body: Option<&'static str>,
    pub section_id: Option<&'static str>,
    pub author: Option<&'static str>,
    pub status: Option<&'static str>,
    pub published_at: Option<&'static str>,
    pub lead_picture: Option<&'static str>,
    pub tags: Option<&'static str>,
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        *self == FieldErrors::default()
    }
}

impl ArticleInput {
    /// Checks every field; on failure, says what is wrong with each bad one.
    pub fn parse(fields: &ArticleDraft, rules: &ArticleRules<'_>) -> Result<Self, FieldErrors> {
        let (sections, timezone, default_author) =
            (rules.sections, rules.timezone, rules.default_author);
        let mut errors = FieldErrors::default();

        let title = fields.title.trim();
        let title_chars = title.chars().count();
        if title.is_empty() {
            errors.title = Some("العنوان مطلوب.");
        } else if has_forbidden_inline_chars(title) {
            errors.title = Some("العنوان يحتوي على محارف تحكّم غير مسموح بها.");
        } else if title_chars < TITLE_MIN_CHARS {
            errors.title = Some("العنوان قصير جدًا: 5 أحرف على الأقل.");
        } else if title_chars > TITLE_MAX_CHARS {
            errors.title = Some("العنوان طويل جدًا: 300 حرف على الأكثر.");
        }

        let summary = fields.summary.trim();
        if has_forbidden_inline_chars(summary) {
            errors.summary = Some("الملخص يحتوي على محارف تحكّم أو فواصل أسطر غير مسموح بها.");
        } else if summary.chars().count() > SUMMARY_MAX_CHARS {
            errors.summary = Some("الملخص طويل جدًا: 500 حرف على الأكثر.");
        }

        let body = fields.body.replace("\r\n", "\n");
        if body.trim().is_empty() {
            errors.body = Some("نص الخبر مطلوب.");
        } else if body.len() > BODY_MAX_BYTES {
            errors.body = Some("نص الخبر أطول من الحد المسموح (200 كيلوبايت).");
        } else if has_forbidden_block_chars(&body) {
            errors.body = Some("نص الخبر يحتوي على محارف تحكّم غير مسموح بها.");
        }

        let section_id = fields
            .section_id
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| sections.iter().find(|s| s.id.get() == id))
            .map(|s| s.id);
        if section_id.is_none() {
            errors.section_id = Some("اختر قسمًا من القائمة.");
        }

        let author = match fields.author.trim() {
            "" => default_author,
            typed => typed,
        };
        if has_forbidden_inline_chars(author) {
            errors.author = Some("اسم الكاتب يحتوي على محارف غير مسموح بها.");
        } else if author.chars().count() > AUTHOR_MAX_CHARS {
            errors.author = Some("اسم الكاتب طويل جدًا: 100 حرف على الأكثر.");
        }

        let status = Status::parse(&fields.status);
        if status.is_none() {
            errors.status = Some("اختر الحالة: مسودة أو منشور.");
        }

        let published_at = match parse_local_datetime(&fields.published_at, timezone) {
            Ok(at) => at,
            Err(message) => {
                errors.published_at = Some(message);
                None
            }
        };

        let lead_picture = match fields.lead_picture.trim() {
            "" => None,
            typed => {
                let id = PictureId::parse(typed);
                if id.is_none() {
                    errors.lead_picture = Some("رقم الصورة غير صحيح: انسخه من صفحة الصور.");
                }
                id
            }
        };

        let tags = match parse_tags(&fields.tags) {
            Ok(tags) => tags,
            Err(message) => {
                errors.tags = Some(message);
                Vec::new()
            }
        };

        match (section_id, status) {
            (Some(section_id), Some(status)) if errors.is_empty() => Ok(ArticleInput {
                title: title.to_owned(),
                summary: summary.to_owned(),
                body,
                section_id,
                author: author.to_owned(),
                status,
                published_at,
                lead_picture,
                tags: Some(tags),
            }),
            _ => Err(errors),
        }
    }
}

/// A `datetime-local` value in the newsroom's zone. Empty means "now" (`Ok(None)`).
pub fn parse_local_datetime(raw: &str, timezone: Tz) -> Result<Option<i64>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| "تاريخ النشر غير صالح: استخدم الصيغة 2026-01-31T14:30.")?;
    // A time skipped by a clock change does not exist; a repeated one takes the earlier.
    timezone
        .from_local_datetime(&naive)
        .earliest()
        .map(|at| Some(at.timestamp()))
        .ok_or("هذا الوقت غير موجود في المنطقة الزمنية (تغيير الساعة).")
}

/// The `datetime-local` value showing `unix_seconds` in the newsroom's zone, to the minute
/// (an editor schedules to the minute; a save that leaves the minute as it was keeps the
/// stored seconds, see `newsroom::update_article`).
pub fn format_local_datetime(unix_seconds: i64, timezone: Tz) -> String {
    chrono::DateTime::from_timestamp(unix_seconds, 0)
        .map(|at| {
            at.with_timezone(&timezone)
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections() -> Vec<Section> {
        vec![Section {
            id: SectionId::from_db(1),
            slug: "politics".into(),
            name: "سياسة".into(),
            position: 0,
        }]
    }

    fn valid() -> ArticleDraft {
        ArticleDraft {
            title: "عنوان صالح للخبر".into(),
            body: "نص الخبر".into(),
            section_id: "1".into(),
            status: "published".into(),
            ..Default::default()
        }
    }

    fn parse(fields: ArticleDraft, default_author: &str) -> Result<ArticleInput, FieldErrors> {
        let sections = sections();
        let rules = ArticleRules {
            sections: &sections,
            timezone: chrono_tz::Asia::Damascus,
            default_author,
        };
        ArticleInput::parse(&fields, &rules)
    }

    fn errors_of(fields: ArticleDraft) -> FieldErrors {
        parse(fields, "admin").expect_err("invalid")
    }

    #[test]
    fn a_valid_form_parses_with_defaults() {
        let input = parse(valid(), "admin").unwrap();
        assert_eq!(input.author, "admin");
        assert_eq!(input.published_at, None);
        assert_eq!(input.status, Status::Published);
        assert_eq!(input.section_id, SectionId::from_db(1));
    }

    #[test]
    fn bad_titles_are_refused() {
        let too_long = "ب".repeat(301);
        for title in [
            "",
            "   ",
            "أربع",
            too_long.as_str(),
            "عنوان\u{202E}مقلوب",
            "عنوان\u{0000}صفر",
        ] {
            let errors = errors_of(ArticleDraft {
                title: title.into(),
                ..valid()
            });
            assert!(errors.title.is_some(), "{title:?}");
        }
        let longest = "ب".repeat(300);
        assert!(
            parse(
                ArticleDraft {
                    title: longest,
                    ..valid()
                },
                "a"
            )
            .is_ok()
        );
    }

    #[test]
    fn body_size_is_limited_in_bytes() {
        let huge = "x".repeat(BODY_MAX_BYTES + 1);
        let errors = errors_of(ArticleDraft {
            body: huge,
            ..valid()
        });
        assert!(errors.body.is_some());
        assert!(
            errors_of(ArticleDraft {
                body: " \n ".into(),
                ..valid()
            })
            .body
            .is_some()
        );
    }

    #[test]
    fn unknown_section_and_status_are_refused() {
        let errors = errors_of(ArticleDraft {
            section_id: "9".into(),
            status: "live".into(),
            ..valid()
        });
        assert!(errors.section_id.is_some());
        assert!(errors.status.is_some());
        assert!(errors.title.is_none());
    }

    fn summary(id: i64, section: i64) -> ArticleSummary {
        ArticleSummary {
            id: ArticleId::from_db(id),
            section_id: SectionId::from_db(section),
            title: String::new(),
            summary: String::new(),
            published_at: 0,
            lead_picture: None,
        }
    }

    #[test]
    fn more_headlines_prefers_the_section_then_fills_up() {
        let ids = |list: Vec<ArticleSummary>| list.iter().map(|a| a.id.get()).collect::<Vec<_>>();
        let section = [summary(5, 1), summary(3, 1), summary(2, 1)];
        let all = [
            summary(9, 2),
            summary(5, 1),
            summary(8, 2),
            summary(3, 1),
            summary(7, 3),
        ];
        assert_eq!(
            ids(more_headlines(ArticleId::from_db(3), &section, &all, 4)),
            [5, 2, 9, 8]
        );
        assert_eq!(
            ids(more_headlines(ArticleId::from_db(9), &section, &all, 2)),
            [5, 3]
        );
        assert_eq!(
            ids(more_headlines(ArticleId::from_db(1), &[], &all, 10)),
            [9, 5, 8, 3, 7]
        );
    }

    #[test]
    fn visibility_follows_status_and_time() {
        assert_eq!(Visibility::of(Status::Draft, 0, 10), Visibility::Draft);
        assert_eq!(Visibility::of(Status::Draft, 20, 10), Visibility::Draft);
        assert_eq!(
            Visibility::of(Status::Published, 20, 10),
            Visibility::Scheduled
        );
        assert_eq!(
            Visibility::of(Status::Published, 10, 10),
            Visibility::Visible
        );
        assert_eq!(
            Visibility::of(Status::Published, 0, 10),
            Visibility::Visible
        );
        for v in [
            Visibility::Draft,
            Visibility::Scheduled,
            Visibility::Visible,
        ] {
            assert_eq!(Visibility::parse(v.as_str()), Some(v));
        }
        for s in [Status::Draft, Status::Published] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("live"), None);
    }

    #[test]
    fn publication_time_is_read_in_the_newsroom_zone() {
        let tz = chrono_tz::Asia::Damascus;
        // 2017-01-06 11:32 in Damascus (UTC+2) is 09:32 UTC.
        assert_eq!(
            parse_local_datetime("2017-01-06T11:32", tz),
            Ok(Some(1_483_695_120))
        );
        assert_eq!(
            parse_local_datetime("2017-01-06T11:32:00", tz),
            Ok(Some(1_483_695_120))
        );
        assert_eq!(parse_local_datetime("", tz), Ok(None));
        assert!(parse_local_datetime("yesterday", tz).is_err());
        // Shown to the minute (seconds are kept by the save, not shown).
        assert_eq!(
            format_local_datetime(1_483_695_120 + 59, tz),
            "2017-01-06T11:32"
        );
    }
}
