//! First-start content: the four default sections, and (unless disabled) a dozen demo
//! articles, so that `cargo run --release` shows a living site at once.

mod content;

use diesel::prelude::*;

use crate::db::articles::{self, NewArticle, STATUS_PUBLISHED};
use crate::db::sections::{self, NewSection};
use crate::db::{meta, now_timestamp, search};
use crate::domain::ArticleId;
use crate::markdown;

const DEMO_SEEDED: &str = "demo_seeded";

/// Creates the default sections in an empty database, and the demo articles once in the
/// database's life: an editor who deletes them all does not see them come back.
pub fn seed(conn: &mut SqliteConnection, with_demo_articles: bool) -> QueryResult<usize> {
    conn.immediate_transaction(|conn| {
        if sections::all(conn)?.is_empty() {
            for (position, section) in content::SECTIONS.iter().enumerate() {
                sections::insert(
                    conn,
                    &NewSection {
                        slug: section.slug,
                        name: section.name,
                        position: position as i64,
                    },
                )?;
            }
        }
        let already_seeded = meta::get(conn, DEMO_SEEDED)?.is_some();
        if !with_demo_articles || already_seeded || articles::count_all(conn)? > 0 {
            return Ok(0);
        }
        let all_sections = sections::all(conn)?;
        let now = now_timestamp();
        let mut inserted = 0;
        for demo in content::ARTICLES {
            let Some(section) = all_sections.iter().find(|s| s.slug == demo.section) else {
                continue;
            };
            let body = markdown::paragraphs_to_markdown(demo.paragraphs);
            let published_at = now - demo.minutes_ago * 60;
            let id = unused_article_id(conn)?;
            articles::insert(
                conn,
                &NewArticle {
                    id: id.get(),
                    section_id: section.id,
                    title: demo.title,
                    summary: demo.summary,
                    body_html: &markdown::body_to_html(&body),
                    body: &body,
                    author: demo.author,
                    status: STATUS_PUBLISHED,
                    published_at,
                    created_at: published_at,
                    updated_at: published_at,
                },
            )?;
            search::index_article(conn, id)?;
            inserted += 1;
        }
        meta::set(conn, DEMO_SEEDED, &now.to_string())?;
        Ok(inserted)
    })
}

/// A random permalink id that no article has.
pub fn unused_article_id(conn: &mut SqliteConnection) -> QueryResult<ArticleId> {
    loop {
        let id = ArticleId::random();
        if !articles::id_exists(conn, id.get())? {
            return Ok(id);
        }
    }
}
