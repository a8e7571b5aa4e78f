//! The front page as the newsroom shapes it: a pinned lead story, featured stories under
//! it, and a breaking-news bar ("عاجل"). Each pick may end at a time of its own; what has
//! ended is simply not shown (nothing has to run to take it down).

use super::ArticleId;
use super::text::has_forbidden_inline_chars;

/// How many stories may be featured under the lead.
pub const MAX_FEATURED: usize = 4;
/// The breaking-news bar is one line on a phone, more or less.
pub const BREAKING_MAX_CHARS: usize = 140;

/// The lead story, pinned until `until` (a Unix time) or until unpinned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadPin {
    pub article: ArticleId,
    pub until: Option<i64>,
}

/// The breaking-news bar: a short text, a link if there is one, shown until `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breaking {
    pub text: String,
    /// A path on this site (`/a/…`) or an `https://` address.
    pub link: Option<String>,
    pub until: i64,
}

/// Everything the newsroom picked for the front page, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Curation {
    pub lead: Option<LeadPin>,
    /// In the order shown.
    pub featured: Vec<ArticleId>,
    pub breaking: Option<Breaking>,
}

impl Curation {
    /// What is still in force at `now`.
    pub fn at(&self, now: i64) -> Curation {
        Curation {
            lead: self
                .lead
                .clone()
                .filter(|pin| pin.until.is_none_or(|until| now < until)),
            featured: self.featured.clone(),
            breaking: self.breaking.clone().filter(|b| now < b.until),
        }
    }
}

/// How long a pick lasts, as chosen in the form: hours, or nothing for "until changed".
pub fn parse_hours(raw: &str) -> Result<Option<i64>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(hours) if (1..=24 * 14).contains(&hours) => Ok(Some(hours)),
        _ => Err("اختر مدة من القائمة."),
    }
}

/// The breaking-news text, trimmed; refused when empty, too long or carrying control
/// characters.
pub fn check_breaking_text(raw: &str) -> Result<String, &'static str> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("اكتب نص الخبر العاجل.");
    }
    if text.chars().count() > BREAKING_MAX_CHARS {
        return Err("نص الخبر العاجل أطول من 140 حرفًا.");
    }
    if has_forbidden_inline_chars(text) {
        return Err("في النص رموز غير مسموح بها.");
    }
    Ok(text.to_owned())
}

/// The bar's link: a path on this site or an `https://` address; empty means none.
pub fn check_link(raw: &str) -> Result<Option<String>, &'static str> {
    let link = raw.trim();
    if link.is_empty() {
        return Ok(None);
    }
    let local = link.starts_with('/') && !link.starts_with("//") && !link.contains('\\');
    let https = link
        .strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    let clean = !link
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"');
    if (local || https) && clean && link.len() <= 500 {
        Ok(Some(link.to_owned()))
    } else {
        Err("الرابط يبدأ بـ / لصفحة في الموقع أو بـ https://")
    }
}

/// The featured ids as chosen: empty choices left out, each once, at most [`MAX_FEATURED`].
pub fn parse_featured(raw: &[String]) -> Result<Vec<ArticleId>, &'static str> {
    let mut ids = Vec::new();
    for value in raw.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id = ArticleId::parse(value).ok_or("رقم خبر غير صحيح.")?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.len() > MAX_FEATURED {
        return Err("يمكن إبراز أربعة أخبار على الأكثر.");
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ended_picks_are_not_in_force() {
        let id = ArticleId::from_db(100_000_000_000_001);
        let curation = Curation {
            lead: Some(LeadPin {
                article: id,
                until: Some(100),
            }),
            featured: vec![id],
            breaking: Some(Breaking {
                text: "عاجل".into(),
                link: None,
                until: 50,
            }),
        };
        let early = curation.at(10);
        assert!(early.lead.is_some() && early.breaking.is_some());
        let later = curation.at(60);
        assert!(later.lead.is_some() && later.breaking.is_none());
        assert!(curation.at(100).lead.is_none());
        let forever = Curation {
            lead: Some(LeadPin {
                article: id,
                until: None,
            }),
            ..Curation::default()
        };
        assert!(forever.at(i64::MAX).lead.is_some());
    }

    #[test]
    fn links_are_local_paths_or_https() {
        assert_eq!(check_link(""), Ok(None));
        assert_eq!(check_link("/a/123"), Ok(Some("/a/123".into())));
        assert!(check_link("https://example.org/x").is_ok());
        for bad in [
            "//evil.example",
            "http://example.org",
            "javascript:alert(1)",
            "https:///x",
            "/a\" onmouseover=\"x",
            "/\\evil",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn breaking_text_and_featured_choices_are_checked() {
        assert_eq!(
            check_breaking_text("  انفجار في الميناء "),
            Ok("انفجار في الميناء".into())
        );
        assert!(check_breaking_text(" ").is_err());
        assert!(check_breaking_text(&"ع".repeat(141)).is_err());
        assert!(check_breaking_text("نص\u{202E}مقلوب").is_err());
        let one = "100000000000001".to_owned();
        assert_eq!(
            parse_featured(&[one.clone(), one.clone(), String::new()])
                .unwrap()
                .len(),
            1
        );
        let many: Vec<String> = (1..=5).map(|n| format!("10000000000000{n}")).collect();
        assert!(parse_featured(&many).is_err());
        assert!(parse_featured(&["x".into()]).is_err());
        assert_eq!(parse_hours(""), Ok(None));
        assert_eq!(parse_hours("6"), Ok(Some(6)));
        assert!(parse_hours("0").is_err());
    }
}
