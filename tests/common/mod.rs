//! What every integration test needs: the real server on a free port with a fresh
//! database (`spawn_app`), a browser-like client, and helpers that sign in, submit forms
//! and read pages. Data is made through the library's own functions, never by writing
//! tables directly.
#![allow(dead_code)] // each test binary uses its own share of the helpers

pub mod postgres;

use std::time::Duration;

use actix_web::dev::ServerHandle;
use sahifa::app::accounts;
use sahifa::config::Settings;
use sahifa::core::article::Status;
use sahifa::core::user::Role;
use sahifa::core::{ArticleId, markdown};
use sahifa::db::articles::{self, ArticleContent, NewArticle};
use sahifa::db::stored_html::StoredHtml;
use sahifa::db::{Database, DatabaseAddress, PooledConn, sections};
use sahifa::startup::Application;
use tempfile::TempDir;
use tokio::task::JoinHandle;

pub struct TestApp {
    pub port: u16,
    pub address: String,
    pub client: reqwest::Client,
    pub db: Database,
    handle: ServerHandle,
    running: Option<JoinHandle<std::io::Result<()>>>,
    /// Keeps the temporary folder (and the database in it) alive.
    pub dir: std::sync::Arc<TempDir>,
}

/// The database of a test whose folder is `dir`: the SQLite file `sahifa.db` in it, or with
/// `SAHIFA_TEST_BACKEND=postgres` a fresh PostgreSQL database (the folder holds this
/// instance's own files).
pub fn test_database(dir: &TempDir) -> DatabaseAddress {
    if postgres::selected() {
        DatabaseAddress::Postgres {
            url: postgres::create_for(dir.path()),
            state_dir: dir.path().to_owned(),
        }
    } else {
        DatabaseAddress::File(dir.path().join("sahifa.db"))
    }
}

/// The command-line options naming `database` for the `sahifa` binary.
pub fn database_args(database: &DatabaseAddress) -> Vec<std::ffi::OsString> {
    match database {
        DatabaseAddress::File(path) => vec!["--database".into(), path.into()],
        DatabaseAddress::Postgres { url, state_dir } => vec![
            "--database".into(),
            url.into(),
            "--state-dir".into(),
            state_dir.into(),
        ],
    }
}

pub fn test_settings(dir: &TempDir) -> Settings {
    let mut settings = Settings::for_database(test_database(dir));
    settings.view_flush_interval = Duration::from_millis(100);
    // Most tests write rows straight into the database and look at the lists at once.
    settings.list_page_ttl = Duration::ZERO;
    settings.list_anchor_ttl = Duration::ZERO;
    settings
}

/// A server on a fresh database with the default sections and no demo articles.
pub async fn spawn_app() -> TestApp {
    let dir = std::sync::Arc::new(TempDir::new().expect("temp dir"));
    let settings = test_settings(&dir);
    spawn_app_with(settings, dir).await
}

pub async fn spawn_app_with(settings: Settings, dir: std::sync::Arc<TempDir>) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        sahifa::telemetry::init();
    }

    let app = Application::build(settings)
        .await
        .expect("application starts");
    let port = app.port();
    let address = format!("http://127.0.0.1:{port}");
    let db = app.database();
    let handle = app.handle();
    let running = Some(tokio::spawn(app.run_until_stopped()));
    let client = new_client();
    TestApp {
        port,
        address,
        client,
        db,
        handle,
        running,
        dir,
    }
}

impl Drop for TestApp {
    /// The last handle on the test's folder drops its PostgreSQL database too.
    fn drop(&mut self) {
        if postgres::selected() && std::sync::Arc::strong_count(&self.dir) == 1 {
            postgres::drop_for(self.dir.path());
        }
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
    pub async fn stop(mut self) -> std::sync::Arc<TempDir> {
        self.handle.stop(true).await;
        self.running
            .take()
            .expect("only the original TestApp stops the server")
            .await
            .expect("server task")
            .expect("server ran");
        self.dir.clone()
    }

    /// Another browser on the same server: its own cookie jar, no way to stop the server.
    pub fn with_new_browser(&self) -> TestApp {
        TestApp {
            port: self.port,
            address: self.address.clone(),
            client: new_client(),
            db: self.db.clone(),
            handle: self.handle.clone(),
            running: None,
            dir: self.dir.clone(),
        }
    }

    pub fn conn(&self) -> PooledConn {
        self.db.conn().expect("connection")
    }

    pub fn section_id(&self, slug: &str) -> i64 {
        sections::all(&mut self.conn())
            .expect("sections")
            .into_iter()
            .find(|s| s.slug == slug)
            .expect("section exists")
            .id
            .get()
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
        let body = "الفقرة الأولى من الخبر، فيها رقم 2016 واسم Latin.\n\nالفقرة الثانية.";
        self.insert_article_with_body(section, title, body, status, published_at)
    }

    /// Writes an article straight into the table (not through the admin, so not indexed
    /// for search), as a hand edit of the database would.
    pub fn insert_article_with_body(
        &self,
        section: &str,
        title: &str,
        body: &str,
        status: &str,
        published_at: i64,
    ) -> i64 {
        let section_id = self.section_id(section);
        let mut conn = self.conn();
        let id = articles::unused_id(&mut conn).expect("id");
        articles::insert(
            &mut conn,
            &NewArticle {
                id: id.get(),
                created_at: published_at,
                content: ArticleContent {
                    section_id,
                    title,
                    summary: "ملخص قصير للخبر.",
                    body,
                    body_html: StoredHtml::compress(&markdown::body_to_html(body)),
                    author: "محرر الاختبار",
                    status: Status::parse(status).expect("draft or published"),
                    published_at,
                    updated_at: published_at,
                    lead_picture_id: None,
                },
            },
        )
        .expect("article inserted");
        id.get()
    }

    /// Waits (up to 5 s) for the background flush to store `expected` views.
    pub async fn wait_until_flushed(&self, id: i64, expected: i64) {
        for _ in 0..100 {
            if self.stored_views(id) == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(self.stored_views(id), expected, "flushed count");
    }

    pub fn stored_views(&self, id: i64) -> i64 {
        articles::stored_views(&mut self.conn(), ArticleId::from_db(id))
            .expect("query")
            .expect("article exists")
    }

    pub fn article_count(&self) -> i64 {
        articles::count_all(&mut self.conn()).expect("count")
    }
}

/// A client like a browser's: keeps cookies, shows redirects instead of following them.
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("http client")
}

/// The `name=value` of the session cookie a response sets.
pub fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("sahifa_session="))
        .expect("session cookie")
        .to_owned()
}

pub fn now() -> i64 {
    sahifa::core::time::now_timestamp()
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

pub const ADMIN_USER: &str = "rana";
pub const ADMIN_PASSWORD: &str = "كلمة-سر-طويلة-للاختبار";
pub const EDITOR_USER: &str = "omar";
pub const EDITOR_PASSWORD: &str = "another long password";

/// Someone acting without an account (a test calling a use case directly).
pub fn test_actor() -> sahifa::core::audit::Actor {
    sahifa::core::audit::Actor {
        user: None,
        username: "test".to_owned(),
        address: "127.0.0.1".to_owned(),
    }
}

/// The value of the first hidden `csrf_token` field of a page.
pub fn csrf_token(html: &str) -> String {
    attribute(html, r#"name="csrf_token""#, "value")
        .expect("csrf_token field")
        .to_owned()
}

impl TestApp {
    pub async fn create_user(&self, username: &str, password: &str, role: &str) {
        let role = Role::parse(role).expect("admin or editor");
        accounts::set_user(&self.db, username.to_owned(), password.to_owned(), role)
            .await
            .expect("user");
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .form(fields)
            .send()
            .await
            .expect("request sent")
    }

    /// Submits the login form the way a browser does: load it, post it with its token.
    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        let (_, form) = self.get_html("/admin/login").await;
        let token = csrf_token(&form);
        self.post_form(
            "/admin/login",
            &[
                ("csrf_token", &token),
                ("username", username),
                ("password", password),
                ("next", ""),
            ],
        )
        .await
    }

    pub async fn login_as_admin(&self) {
        self.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
        let response = self.login(ADMIN_USER, ADMIN_PASSWORD).await;
        assert_eq!(response.status().as_u16(), 303, "admin signed in");
    }

    pub async fn login_as_editor(&self) {
        self.create_user(EDITOR_USER, EDITOR_PASSWORD, "editor")
            .await;
        let response = self.login(EDITOR_USER, EDITOR_PASSWORD).await;
        assert_eq!(response.status().as_u16(), 303, "editor signed in");
    }

    /// The CSRF token of the signed-in session, read from an admin page.
    pub async fn session_csrf(&self) -> String {
        let (status, html) = self.get_html("/admin/articles/new").await;
        assert_eq!(status, 200);
        csrf_token(&html)
    }

    /// Posts the article form with `fields` over sensible defaults.
    pub async fn submit_article(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.session_csrf().await;
        let section = self.section_id("politics").to_string();
        let mut form: Vec<(&str, &str)> = vec![
            ("csrf_token", &token),
            ("title", "خبر جديد من غرفة الأخبار"),
            ("summary", "ملخص الخبر في جملة."),
            ("body", "الفقرة الأولى.\n\nالفقرة الثانية."),
            ("section_id", &section),
            ("author", ""),
            ("status", "published"),
            ("published_at", ""),
        ];
        for (name, value) in fields {
            form.retain(|(existing, _)| existing != name);
            form.push((name, value));
        }
        self.post_form(path, &form).await
    }

    /// Creates an article through the admin form; returns its id.
    pub async fn create_article_via_form(&self, fields: &[(&str, &str)]) -> i64 {
        let response = self.submit_article("/admin/articles", fields).await;
        assert_eq!(response.status().as_u16(), 303, "article saved");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        location
            .trim_start_matches("/admin/articles/")
            .split('/')
            .next()
            .and_then(|id| id.parse().ok())
            .expect("id in the redirect")
    }
}

/// Everything from a form page an edit must send back: token, version and fields.
pub fn edit_fields(html: &str) -> (String, String) {
    let token = csrf_token(html);
    let version = attribute(html, r#"name="version""#, "value")
        .expect("version field")
        .to_owned();
    (token, version)
}

/// A `width`×`height` landscape as a JPEG: sky, sun and three hills, so that a screenshot of
/// the page that shows it looks like a news photo rather than a test pattern.
pub fn landscape_jpeg(width: u32, height: u32) -> Vec<u8> {
    let (w, h) = (width.max(1) as f32, height.max(1) as f32);
    let mix = |a: [f32; 3], b: [f32; 3], t: f32| {
        image::Rgb([0, 1, 2].map(|i| (a[i] + (b[i] - a[i]) * t.clamp(0.0, 1.0)) as u8))
    };
    let hills = [
        (0.64, [61.0, 107.0, 53.0]),
        (0.76, [44.0, 82.0, 39.0]),
        (0.88, [30.0, 59.0, 27.0]),
    ];
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / w, y as f32 / h);
        let mut pixel = mix([29.0, 59.0, 110.0], [243.0, 166.0, 90.0], fy / 0.6);
        let (sun_dx, sun_dy) = ((fx - 0.69) * w, (fy - 0.56) * h);
        if sun_dx * sun_dx + sun_dy * sun_dy < (0.075 * w).powi(2) {
            pixel = image::Rgb([255, 210, 122]);
        }
        for (top, colour) in hills {
            let ridge = top + (fx * w / 170.0 + top * h).sin() * 0.045;
            if fy > ridge {
                pixel = image::Rgb(colour.map(|c| c as u8));
            }
        }
        pixel
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("jpeg encoded");
    out.into_inner()
}
