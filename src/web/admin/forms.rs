//! The admin's forms as submitted. Every field is a string defaulting to empty, so a form
//! with a missing or mistyped field comes back with a message instead of failing whole;
//! each becomes a core type (`ArticleInput`, a valid section name…) only once checked.
//! The CSRF token is not part of them: `session::Protected` takes it off every form.

use serde::{Deserialize, Serialize};

use crate::core::ArticleId;
use crate::core::article::{ArticleDraft, ArticleInput, ArticleRules, FieldErrors};

/// The article form: what was typed, and which version of which article it edits.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ArticleForm {
    #[serde(flatten)]
    pub draft: ArticleDraft,
    /// The version the editor started from (edits only).
    pub version: String,
    /// Set by the preview page's "back to editing": which article (empty = new).
    pub article_id: String,
    /// The permalink id a preview showed for a new article: saving it gives it that id.
    pub planned_id: String,
    /// The text of a lead picture chosen as a file with this form (the file itself comes
    /// beside the form: `ProtectedUpload`).
    pub lead_alt: String,
    pub lead_caption: String,
    pub lead_credit: String,
}

impl ArticleForm {
    /// The article to save, checked against `rules`; or a message per wrong field.
    pub fn to_input(&self, rules: &ArticleRules<'_>) -> Result<ArticleInput, FieldErrors> {
        ArticleInput::parse(&self.draft, rules)
    }

    /// The id a preview promised this new article, if any.
    pub fn planned_id(&self) -> Option<ArticleId> {
        ArticleId::parse(&self.planned_id)
    }

    /// The article this form edits, if it names one.
    pub fn article_id(&self) -> Option<ArticleId> {
        ArticleId::parse(&self.article_id)
    }

    /// The form as name–value pairs, as a browser would send it (to keep and give back).
    pub fn to_fields(&self) -> Vec<(String, String)> {
        serde_urlencoded::to_string(self)
            .ok()
            .and_then(|encoded| serde_urlencoded::from_str(&encoded).ok())
            .unwrap_or_default()
    }

    /// The version the editor started from. A missing or garbled version cannot prove the
    /// editor saw the latest text, so it matches no stored version.
    pub fn expected_version(&self) -> i64 {
        self.version.trim().parse::<i64>().unwrap_or(-1)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SectionForm {
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UserForm {
    pub username: String,
    pub password: String,
    pub role: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub csrf_token: String,
    pub username: String,
    pub password: String,
    pub next: String,
}

/// `?done=1` after a change: the page says it was saved.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    pub done: String,
}
