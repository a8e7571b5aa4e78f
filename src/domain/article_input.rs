//! The article form: what the editor typed (`ArticleForm`, kept verbatim so a form with a
//! mistake comes back exactly as typed) and what it means once valid (`ArticleInput`).

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::Deserialize;

use super::text::{has_forbidden_block_chars, has_forbidden_inline_chars};
use crate::auth::session::CsrfProtected;
use crate::db::sections::Section;

pub const TITLE_MIN_CHARS: usize = 5;
pub const TITLE_MAX_CHARS: usize = 300;
pub const SUMMARY_MAX_CHARS: usize = 500;
pub const BODY_MAX_BYTES: usize = 200 * 1024;
pub const AUTHOR_MAX_CHARS: usize = 100;

/// The fields as submitted. Every field defaults to empty, so a missing field is reported
/// next to the field instead of failing the whole request.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ArticleForm {
    pub csrf_token: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub section_id: String,
    pub author: String,
    pub status: String,
    pub published_at: String,
    /// The version the editor started from (edits only).
    pub version: String,
    /// Set by the preview page's "back to editing": which article (empty = new).
    pub article_id: String,
}

impl CsrfProtected for ArticleForm {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => crate::db::articles::STATUS_DRAFT,
            Status::Published => crate::db::articles::STATUS_PUBLISHED,
        }
    }
}

/// A valid article, ready to save.
#[derive(Debug, Clone)]
pub struct ArticleInput {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub section_id: i64,
    pub author: String,
    pub status: Status,
    /// Unix seconds; `None` means "now".
    pub published_at: Option<i64>,
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
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        *self == FieldErrors::default()
    }
}

impl ArticleForm {
    /// Checks every field; on failure, says what is wrong with each bad one.
    pub fn parse(
        &self,
        sections: &[Section],
        timezone: Tz,
        default_author: &str,
    ) -> Result<ArticleInput, FieldErrors> {
        let mut errors = FieldErrors::default();

        let title = self.title.trim();
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

        let summary = self.summary.trim();
        if has_forbidden_inline_chars(summary) {
            errors.summary = Some("الملخص يحتوي على محارف تحكّم أو فواصل أسطر غير مسموح بها.");
        } else if summary.chars().count() > SUMMARY_MAX_CHARS {
            errors.summary = Some("الملخص طويل جدًا: 500 حرف على الأكثر.");
        }

        let body = self.body.replace("\r\n", "\n");
        if body.trim().is_empty() {
            errors.body = Some("نص الخبر مطلوب.");
        } else if body.len() > BODY_MAX_BYTES {
            errors.body = Some("نص الخبر أطول من الحد المسموح (200 كيلوبايت).");
        } else if has_forbidden_block_chars(&body) {
            errors.body = Some("نص الخبر يحتوي على محارف تحكّم غير مسموح بها.");
        }

        let section_id = self
            .section_id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| sections.iter().any(|s| s.id == *id));
        if section_id.is_none() {
            errors.section_id = Some("اختر قسمًا من القائمة.");
        }

        let author = match self.author.trim() {
            "" => default_author,
            typed => typed,
        };
        if has_forbidden_inline_chars(author) {
            errors.author = Some("اسم الكاتب يحتوي على محارف غير مسموح بها.");
        } else if author.chars().count() > AUTHOR_MAX_CHARS {
            errors.author = Some("اسم الكاتب طويل جدًا: 100 حرف على الأكثر.");
        }

        let status = match self.status.as_str() {
            "draft" => Some(Status::Draft),
            "published" => Some(Status::Published),
            _ => {
                errors.status = Some("اختر الحالة: مسودة أو منشور.");
                None
            }
        };

        let published_at = match parse_local_datetime(&self.published_at, timezone) {
            Ok(at) => at,
            Err(message) => {
                errors.published_at = Some(message);
                None
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

/// The `datetime-local` value showing `unix_seconds` in the newsroom's zone.
pub fn format_local_datetime(unix_seconds: i64, timezone: Tz) -> String {
    chrono::DateTime::from_timestamp(unix_seconds, 0)
        .map(|at| {
            at.with_timezone(&timezone)
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections() -> Vec<Section> {
        vec![Section {
            id: 1,
            slug: "politics".into(),
            name: "سياسة".into(),
            position: 0,
        }]
    }

    fn valid() -> ArticleForm {
        ArticleForm {
            title: "عنوان صالح للخبر".into(),
            body: "نص الخبر".into(),
            section_id: "1".into(),
            status: "published".into(),
            ..Default::default()
        }
    }

    fn errors_of(form: ArticleForm) -> FieldErrors {
        form.parse(&sections(), chrono_tz::Asia::Damascus, "admin")
            .expect_err("invalid")
    }

    #[test]
    fn a_valid_form_parses_with_defaults() {
        let input = valid()
            .parse(&sections(), chrono_tz::Asia::Damascus, "admin")
            .unwrap();
        assert_eq!(input.author, "admin");
        assert_eq!(input.published_at, None);
        assert_eq!(input.status, Status::Published);
    }

    #[test]
    fn bad_titles_are_refused() {
        for title in [
            "",
            "   ",
            "أربع",
            &"ب".repeat(301),
            "عنوان\u{202E}مقلوب",
            "عنوان\u{0000}صفر",
        ] {
            let errors = errors_of(ArticleForm {
                title: title.into(),
                ..valid()
            });
            assert!(errors.title.is_some(), "{title:?}");
        }
        let ok = ArticleForm {
            title: "ب".repeat(300),
            ..valid()
        };
        assert!(
            ok.parse(&sections(), chrono_tz::Asia::Damascus, "a")
                .is_ok()
        );
    }

    #[test]
    fn body_size_is_limited_in_bytes() {
        let errors = errors_of(ArticleForm {
            body: "x".repeat(BODY_MAX_BYTES + 1),
            ..valid()
        });
        assert!(errors.body.is_some());
        assert!(
            errors_of(ArticleForm {
                body: " \n ".into(),
                ..valid()
            })
            .body
            .is_some()
        );
    }

    #[test]
    fn unknown_section_and_status_are_refused() {
        let errors = errors_of(ArticleForm {
            section_id: "9".into(),
            status: "live".into(),
            ..valid()
        });
        assert!(errors.section_id.is_some());
        assert!(errors.status.is_some());
        assert!(errors.title.is_none());
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
        assert_eq!(
            format_local_datetime(1_483_695_120, tz),
            "2017-01-06T11:32:00"
        );
    }
}
