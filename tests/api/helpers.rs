use std::time::Duration;

use actix_web::dev::ServerHandle;
use diesel::prelude::*;
use sahifa::config::Settings;
use sahifa::db::articles::{self, NewArticle};
use sahifa::db::{DbPool, sections};
use sahifa::startup::Application;
use tempfile::TempDir;
use tokio::task::JoinHandle;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: DbPool,
    handle: ServerHandle,
    running: JoinHandle<std::io::Result<()>>,
    /// Keeps the temporary folder (and the database in it) alive.
    pub dir: std::sync::Arc<TempDir>,
}

pub fn test_settings(dir: &TempDir) -> Settings {
    let mut settings = Settings::for_database(dir.path().join("sahifa.db"));
    settings.view_flush_interval = Duration::from_millis(100);
    settings
}

/// A server on a fresh database with the default sections and no demo articles.
pub async fn spawn_app() -> TestApp {
    let dir = std::sync::Arc::new(TempDir::new().expect("temp dir"));
    let settings = test_settings(&dir);
    spawn_app_with(settings, dir).await
}

pub async fn spawn_app_with(settings: Settings, dir: std::sync::Arc<TempDir>) -> TestApp {
    sahifa::telemetry::init();

    let app = Application::build(settings)
        .await
        .expect("application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let pool = app.pool();
    let handle = app.handle();
    let running = tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("http client");
    TestApp {
        address,
        client,
        pool,
        handle,
        running,
        dir,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_html(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// Stops the server as SIGTERM would, waiting for the final flush of view counts.
    pub async fn stop(self) -> std::sync::Arc<TempDir> {
        self.handle.stop(true).await;
        self.running
            .await
            .expect("server task")
            .expect("server ran");
        self.dir
    }

    pub fn conn(&self) -> sahifa::db::DbConn {
        self.pool.get().expect("connection")
    }

    pub fn section_id(&self, slug: &str) -> i64 {
        sections::all(&mut self.conn())
            .expect("sections")
            .into_iter()
            .find(|s| s.slug == slug)
            .expect("section exists")
            .id
    }

    /// Inserts an article straight into the database; returns its id.
    pub fn insert_article(&self, title: &str, status: &str, published_at: i64) -> i64 {
        self.insert_article_in("politics", title, status, published_at)
    }

    pub fn insert_article_in(
        &self,
        section: &str,
        title: &str,
        status: &str,
        published_at: i64,
    ) -> i64 {
        let section_id = self.section_id(section);
        let mut conn = self.conn();
        let id = sahifa::demo::unused_article_id(&mut conn)
            .expect("id")
            .get();
        let body = "الفقرة الأولى من الخبر، فيها رقم 2016 واسم Latin.\n\nالفقرة الثانية.";
        articles::insert(
            &mut conn,
            &NewArticle {
                id,
                section_id,
                title,
                summary: "ملخص قصير للخبر.",
                body,
                body_html: &sahifa::markdown::body_to_html(body),
                author: "محرر الاختبار",
                status,
                published_at,
                created_at: published_at,
                updated_at: published_at,
            },
        )
        .expect("article inserted");
        id
    }

    pub fn stored_views(&self, id: i64) -> i64 {
        sahifa::db::views::stored_views(&mut self.conn(), id)
            .expect("query")
            .expect("article exists")
    }

    pub fn article_count(&self) -> i64 {
        use sahifa::db::schema::articles::dsl::articles;
        articles
            .count()
            .get_result(&mut self.conn())
            .expect("count")
    }
}

pub fn now() -> i64 {
    sahifa::db::now_timestamp()
}

/// The value of `attr` on the first element whose text starts with `<tag` and has `attr`.
pub fn attribute<'a>(html: &'a str, marker: &str, attr: &str) -> Option<&'a str> {
    let start = html.find(marker)?;
    let rest = &html[start..];
    let end = rest.find('>')?;
    let tag = &rest[..end];
    let key = format!("{attr}=\"");
    let value_start = tag.find(&key)? + key.len();
    let value_len = tag[value_start..].find('"')?;
    Some(&tag[value_start..value_start + value_len])
}

/// The number in `data-views="N"` of an article page.
pub fn shown_views(html: &str) -> i64 {
    attribute(html, "class=\"views\"", "data-views")
        .expect("view count on page")
        .parse()
        .expect("ASCII digits")
}
