//! The site's own pages: "من نحن" (about) and "اتصل بنا" (contact), written by admins in
//! Markdown and linked from every page's footer once written.

use super::article::{BODY_MAX_BYTES, TITLE_MAX_CHARS};
use super::text::{has_forbidden_block_chars, has_forbidden_inline_chars};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitePageKind {
    About,
    Contact,
}

impl SitePageKind {
    pub const ALL: [SitePageKind; 2] = [SitePageKind::About, SitePageKind::Contact];

    pub fn slug(self) -> &'static str {
        match self {
            SitePageKind::About => "about",
            SitePageKind::Contact => "contact",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.slug() == slug)
    }

    /// Where readers find it.
    pub fn path(self) -> String {
        format!("/{}", self.slug())
    }

    /// The title it has until an admin gives it another.
    pub fn default_title(self) -> &'static str {
        match self {
            SitePageKind::About => "من نحن",
            SitePageKind::Contact => "اتصل بنا",
        }
    }
}

/// A written page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePage {
    pub kind: SitePageKind,
    pub title: String,
    /// Markdown, as written.
    pub body: String,
    /// Sanitised HTML, made when saved.
    pub body_html: String,
    pub updated_at: i64,
}

/// Title and body as typed, checked: `Err` names what is wrong, in Arabic.
pub fn check_page(title: &str, body: &str) -> Result<(String, String), &'static str> {
    let title = title.trim();
    if title.is_empty() {
        return Err("اكتب عنوان الصفحة.");
    }
    if title.chars().count() > TITLE_MAX_CHARS || has_forbidden_inline_chars(title) {
        return Err("العنوان طويل جدًا أو فيه رموز غير مسموح بها.");
    }
    let body = body.trim();
    if body.is_empty() {
        return Err("اكتب نص الصفحة.");
    }
    if body.len() > BODY_MAX_BYTES || has_forbidden_block_chars(body) {
        return Err("النص طويل جدًا أو فيه رموز غير مسموح بها.");
    }
    Ok((title.to_owned(), body.to_owned()))
}
