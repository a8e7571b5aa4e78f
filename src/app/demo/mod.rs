//! First-start content: the four default sections, and (unless disabled) a dozen demo
//! articles, so that `cargo run --release` shows a living site at once.

mod content;

use crate::core::ArticleId;
use crate::core::article::Status;
use crate::core::markdown;
use crate::core::tags::parse_tags;
use crate::core::time::now_timestamp;
use crate::db::articles::{self, ArticleContent, NewArticle};
use crate::db::changes::{self, Change};
use crate::db::stored_html::StoredHtml;
use crate::db::{Database, DbResult, meta, sections, tags, write_tx};

use super::AppError;

const DEMO_SEEDED: &str = "demo_seeded";

/// Creates the default sections in an empty database, and the demo articles once in the
/// database's life: an editor who deletes them all does not see them come back. Returns
/// how many demo articles were inserted.
pub async fn prepare_first_start(
    db: &Database,
    with_demo_articles: bool,
) -> Result<usize, AppError> {
    Ok(db
        .run_with_search(move |conn, index| {
            let inserted = write_tx(conn, |conn| -> DbResult<Vec<ArticleId>> {
                if sections::all(conn)?.is_empty() {
                    for (position, section) in content::SECTIONS.iter().enumerate() {
                        sections::insert(conn, section.slug, section.name, position as i64)?;
                    }
                }
                let already_seeded = meta::get(conn, DEMO_SEEDED)?.is_some();
                if !with_demo_articles || already_seeded || articles::count_all(conn)? > 0 {
                    return Ok(Vec::new());
                }
                let all_sections = sections::all(conn)?;
                let now = now_timestamp();
                let mut inserted = Vec::new();
                for demo in content::ARTICLES {
                    let Some(section) = all_sections.iter().find(|s| s.slug == demo.section) else {
                        continue;
                    };
                    let body = markdown::paragraphs_to_markdown(demo.paragraphs);
                    let published_at = now - demo.minutes_ago * 60;
                    let id = articles::unused_id(conn)?;
                    articles::insert(
                        conn,
                        &NewArticle {
                            id: id.get(),
                            created_at: published_at,
                            content: ArticleContent {
                                section_id: section.id.get(),
                                title: demo.title,
                                summary: demo.summary,
                                body_html: StoredHtml::compress(&markdown::body_to_html(&body)),
                                body: &body,
                                author: demo.author,
                                status: Status::Published,
                                published_at,
                                updated_at: published_at,
                                lead_picture_id: None,
                            },
                        },
                    )?;
                    if let Ok(tags) = parse_tags(demo.tags) {
                        tags::set_for_article(conn, id, &tags)?;
                    }
                    inserted.push(id);
                }
                meta::set(conn, DEMO_SEEDED, &now.to_string())?;
                for &id in &inserted {
                    changes::record(conn, Change::Article(id), now)?;
                }
                Ok(inserted)
            })?;
            if !inserted.is_empty() {
                index.update(conn, &inserted)?;
            }
            Ok::<_, crate::db::DbError>(inserted.len())
        })
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_article_has_tags_that_parse() {
        for demo in content::ARTICLES {
            let tags = parse_tags(demo.tags).expect(demo.title);
            assert!(!tags.is_empty(), "{}", demo.title);
        }
    }
}
