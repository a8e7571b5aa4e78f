//! The site as its pages name it: fixed for the life of the process.

use super::arabic::dates::DateFormatter;
use super::ids::ArticleId;

#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    /// Without a trailing slash.
    pub base_url: String,
    pub dates: DateFormatter,
}

impl Site {
    /// The short absolute address of an article: `{base_url}/a/{id}`.
    pub fn permalink(&self, article_id: ArticleId) -> String {
        format!("{}/a/{article_id}", self.base_url)
    }
}
