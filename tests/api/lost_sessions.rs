//! An article form that arrives after its session ended keeps every word: the sign-in page
//! says so, and signing in again (in the same browser, as the same editor) brings the form
//! back exactly as typed; also across a restart. A cross-site post stores nothing.

use std::time::Duration;

use sahifa::db::pending_drafts;

use crate::common::{
    EDITOR_PASSWORD, EDITOR_USER, TestApp, attribute, csrf_token, edit_fields, spawn_app_with,
    test_settings,
};

const TITLE: &str = "خبر كُتب حتى انتهت الجلسة";
const SUMMARY: &str = "ملخص لا يجوز أن يضيع.";
const BODY: &str = "فقرة أولى طويلة كتبها المحرر على مهل.\n\nوفقرة ثانية فيها <وسم> و\"اقتباس\".";

/// A server whose sessions end after one idle second.
async fn spawn_with_short_sessions(dir: Option<std::sync::Arc<tempfile::TempDir>>) -> TestApp {
    let dir = dir.unwrap_or_else(|| std::sync::Arc::new(tempfile::TempDir::new().expect("dir")));
    let mut settings = test_settings(&dir);
    settings.session_idle_timeout = Duration::from_secs(1);
    spawn_app_with(settings, dir).await
}

/// Idle past the limit (whole seconds are compared).
async fn idle() {
    tokio::time::sleep(Duration::from_millis(2_200)).await;
}

fn pending(app: &TestApp) -> i64 {
    pending_drafts::count(&mut app.conn()).expect("count")
}

/// Signs in through the sign-in page `html` as a browser would: its token, its `next`.
async fn sign_in_from(app: &TestApp, html: &str, username: &str, password: &str) -> String {
    let next = attribute(html, "name=\"next\"", "value")
        .unwrap_or_default()
        .to_owned();
    let response = app
        .post_form(
            "/admin/login",
            &[
                ("csrf_token", &csrf_token(html)),
                ("username", username),
                ("password", password),
                ("next", &next),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "signed in");
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

#[tokio::test]
async fn a_form_sent_after_the_session_ended_comes_back_after_signing_in() {
    let app = spawn_with_short_sessions(None).await;
    app.login_as_editor().await;
    let token = app.session_csrf().await;
    idle().await;

    let section = app.section_id("politics").to_string();
    let response = app
        .post_form(
            "/admin/articles",
            &[
                ("csrf_token", &token),
                ("title", TITLE),
                ("summary", SUMMARY),
                ("body", BODY),
                ("section_id", &section),
                ("author", ""),
                ("status", "draft"),
                ("published_at", ""),
            ],
        )
        .await;
    assert_eq!(
        response.status().as_u16(),
        200,
        "the sign-in page, not a redirect"
    );
    let page = response.text().await.expect("body");
    assert!(page.contains("انتهت جلستك؛ سجّل الدخول لحفظ ما كتبت"));
    assert!(page.contains("id=\"password\""), "the sign-in form");
    assert_eq!(app.article_count(), 0, "nothing saved while signed out");
    assert_eq!(pending(&app), 1, "the text is kept on the server");

    // Another member signing in on this browser does not get it.
    app.create_user("huda", "a long and careful password", "admin")
        .await;
    sign_in_from(&app, &page, "huda", "a long and careful password").await;
    let response = app.get("/admin/articles/pending").await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(pending(&app), 1, "still kept for its writer");
    let response = app
        .post_form(
            "/admin/logout",
            &[("csrf_token", &app.session_csrf().await)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    // Its writer does, exactly as typed, once.
    let (_, login_page) = app.get_html("/admin/login").await;
    let location = sign_in_from(&app, &login_page, EDITOR_USER, EDITOR_PASSWORD).await;
    assert_eq!(location, "/admin");
    let (status, form) = app.get_html("/admin/articles/pending").await;
    assert_eq!(status, 200);
    assert!(form.contains("استُعيد ما كتبته قبل انتهاء جلستك"));
    assert_eq!(attribute(&form, "id=\"title\"", "value"), Some(TITLE));
    assert!(form.contains(&format!(">{SUMMARY}</textarea>")));
    let escaped_body = BODY
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;");
    assert!(
        form.contains(&format!(">{escaped_body}</textarea>")),
        "the body, every character"
    );
    assert_eq!(pending(&app), 0, "taken from the server");
    assert_eq!(
        app.get("/admin/articles/pending").await.status().as_u16(),
        303
    );

    // Saving it is an ordinary save.
    let response = app
        .post_form(
            "/admin/articles",
            &[
                ("csrf_token", &csrf_token(&form)),
                ("title", TITLE),
                ("summary", SUMMARY),
                ("body", BODY),
                ("section_id", &section),
                ("author", ""),
                ("status", "published"),
                ("published_at", ""),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.article_count(), 1);
}

#[tokio::test]
async fn an_edit_sent_after_the_session_ended_survives_a_restart() {
    let app = spawn_with_short_sessions(None).await;
    app.login_as_editor().await;
    let id = app.create_article_via_form(&[("title", TITLE)]).await;
    let (_, edit) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (token, version) = edit_fields(&edit);
    idle().await;
    let new_body = "النص بعد التعديل، أُرسل بعد انتهاء الجلسة.";
    let section = app.section_id("politics").to_string();
    let fields = [
        ("csrf_token", token.as_str()),
        ("version", version.as_str()),
        ("title", TITLE),
        ("summary", SUMMARY),
        ("body", new_body),
        ("section_id", section.as_str()),
        ("author", ""),
        ("status", "published"),
        ("published_at", ""),
    ];
    let response = app
        .post_form(&format!("/admin/articles/{id}"), &fields)
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.expect("body");
    assert!(page.contains("انتهت جلستك"));

    // The server restarts; the browser (its cookies) stays.
    let browser = app.client.clone();
    let dir = app.stop().await;
    let mut app = spawn_with_short_sessions(Some(dir)).await;
    app.client = browser;
    let (_, login_page) = app.get_html("/admin/login").await;
    let location = sign_in_from(&app, &login_page, EDITOR_USER, EDITOR_PASSWORD).await;
    assert_eq!(location, "/admin");
    let (status, form) = app.get_html("/admin/articles/pending").await;
    assert_eq!(status, 200);
    assert!(
        form.contains(&format!("action=\"/admin/articles/{id}\"")),
        "the same article"
    );
    assert!(form.contains(new_body));
    let (token, restored_version) = edit_fields(&form);
    assert_eq!(
        restored_version, version,
        "the version the editor started from"
    );
    let mut fields = fields.to_vec();
    fields[0] = ("csrf_token", token.as_str());
    let response = app
        .post_form(&format!("/admin/articles/{id}"), &fields)
        .await;
    assert_eq!(response.status().as_u16(), 303, "saved");
    let (_, article) = app.get_html(&format!("/a/{id}")).await;
    assert!(article.contains(new_body));
}

#[tokio::test]
async fn a_cross_site_post_after_the_session_ended_keeps_nothing() {
    let app = spawn_with_short_sessions(None).await;
    app.login_as_editor().await;
    idle().await;
    let forged = app
        .client
        .post(format!("{}/admin/articles", app.address))
        .header("Origin", "https://evil.example")
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[
            ("csrf_token", "x"),
            ("title", "مزروع"),
            ("body", "نص مزروع"),
        ])
        .send()
        .await
        .expect("sent");
    assert_eq!(forged.status().as_u16(), 403);
    // Nor a post that proves nothing: no origin, a token not made for this browser.
    let unproven = app
        .with_new_browser()
        .post_form(
            "/admin/articles",
            &[("csrf_token", "x"), ("title", "مزروع")],
        )
        .await;
    assert_eq!(unproven.status().as_u16(), 403);
    assert_eq!(pending(&app), 0);
}

#[tokio::test]
async fn the_form_as_browsers_send_it_with_a_file_input_is_kept_too() {
    let app = spawn_with_short_sessions(None).await;
    app.login_as_editor().await;
    let token = app.session_csrf().await;
    idle().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("title", TITLE)
        .text("body", BODY)
        .part(
            "lead_file",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        );
    let response = app
        .client
        .post(format!("{}/admin/articles", app.address))
        .header("Origin", app.address.clone())
        .multipart(form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(pending(&app), 1);
    let page = response.text().await.expect("body");
    sign_in_from(&app, &page, EDITOR_USER, EDITOR_PASSWORD).await;
    let (_, form) = app.get_html("/admin/articles/pending").await;
    assert_eq!(attribute(&form, "id=\"title\"", "value"), Some(TITLE));
}

/// Posts the form to `/admin/autosave` as the page's script does (URL-encoded).
async fn autosave(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(format!("{}/admin/autosave", app.address))
        .header("Origin", app.address.clone())
        .form(fields)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn autosaves_are_offered_back_and_never_reach_readers() {
    let app = crate::common::spawn_app().await;
    app.login_as_editor().await;
    let id = app
        .create_article_via_form(&[("title", TITLE), ("body", "النص المنشور.")])
        .await;
    let (_, edit) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    assert!(!edit.contains("autosave-offer"), "nothing autosaved yet");
    let (token, version) = edit_fields(&edit);
    let section = app.section_id("politics").to_string();
    let id_text = id.to_string();
    let typed = [
        ("csrf_token", token.as_str()),
        ("version", version.as_str()),
        ("article_id", id_text.as_str()),
        ("title", TITLE),
        ("summary", ""),
        ("body", "نص يكتبه المحرر ولم يضغط «حفظ» بعد."),
        ("section_id", section.as_str()),
        ("author", ""),
        ("status", "published"),
        ("published_at", ""),
    ];
    let response = autosave(&app, &typed).await;
    assert_eq!(response.status().as_u16(), 200);
    let line = response.text().await.expect("line");
    assert!(line.starts_with("حُفظت مسودة تلقائيًا "), "{line}");

    // Readers still see what was saved.
    let (_, page) = app.get_html(&format!("/a/{id}")).await;
    assert!(page.contains("النص المنشور."));
    assert!(!page.contains("ولم يضغط"));

    // Opening the article again offers the newer copy, and gives it when asked.
    let (_, edit) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    assert!(edit.contains("autosave-offer"));
    assert!(edit.contains(&format!("/admin/articles/{id}/edit?autosave=1")));
    assert!(
        edit.contains("النص المنشور."),
        "the form itself shows the saved text"
    );
    let (_, restored) = app
        .get_html(&format!("/admin/articles/{id}/edit?autosave=1"))
        .await;
    assert!(restored.contains("ولم يضغط «حفظ» بعد."));
    assert_eq!(
        edit_fields(&restored).1,
        version,
        "the version it started from"
    );

    // Saving it for real ends the offer.
    let mut fields = typed.to_vec();
    let restored_token = edit_fields(&restored).0;
    fields[0] = ("csrf_token", restored_token.as_str());
    let response = app
        .post_form(&format!("/admin/articles/{id}"), &fields)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, edit) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    assert!(!edit.contains("autosave-offer"));

    // A new article's copy is offered on the new-article form.
    let token = app.session_csrf().await;
    let response = autosave(
        &app,
        &[
            ("csrf_token", token.as_str()),
            ("title", "مسودة خبر جديد لم يُحفظ"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let (_, new_form) = app.get_html("/admin/articles/new").await;
    assert!(new_form.contains("/admin/articles/new?autosave=1"));
    let (_, restored) = app.get_html("/admin/articles/new?autosave=1").await;
    assert_eq!(
        attribute(&restored, "id=\"title\"", "value"),
        Some("مسودة خبر جديد لم يُحفظ")
    );

    // Without a session or from another site: nothing kept.
    let response = app
        .client
        .post(format!("{}/admin/autosave", app.address))
        .header("Origin", "https://evil.example")
        .form(&[("csrf_token", token.as_str()), ("title", "مزروع")])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 403);
    let response = autosave(&app.with_new_browser(), &[("title", "مزروع")]).await;
    assert_eq!(response.status().as_u16(), 303, "to sign in");
}

/// A save that meets the database locked by another writer past the busy timeout loses
/// nothing: 503 with Retry-After, the form with every field as typed and a message in
/// Arabic, nothing half-saved; once the lock is gone the same form saves. Sign-in likewise.
#[tokio::test]
async fn a_locked_database_gives_the_form_back_whole_and_saves_later() {
    use diesel::connection::SimpleConnection;
    let app = crate::common::spawn_app().await;
    app.login_as_admin().await;
    let before = app.article_count();
    let title = "خبر كُتب والقاعدة مقفلة";
    let body = "فقرة أولى.\n\nفقرة ثانية فيها «اقتباس».";
    let mut holder = app.conn();
    // Another writer holds the lock past the busy timeout (SQLite's 5 s; PostgreSQL's
    // lock_timeout of 5 s on the tables a save and a sign-in write; reads go on, as in
    // SQLite's WAL mode).
    holder
        .batch_execute(match sahifa::db::Backend::of(&holder) {
            sahifa::db::Backend::Sqlite => "BEGIN EXCLUSIVE",
            sahifa::db::Backend::Postgres => {
                "BEGIN; LOCK TABLE articles, sessions IN EXCLUSIVE MODE"
            }
        })
        .unwrap();
    let response = app
        .submit_article("/admin/articles", &[("title", title), ("body", body)])
        .await;
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let page = response.text().await.unwrap();
    assert!(
        page.contains("تعذّر الحفظ الآن؛ لم يضِع شيء مما كتبت"),
        "{page}"
    );
    assert!(
        page.contains(&format!(r#"value="{title}""#)),
        "the title kept"
    );
    assert!(
        page.contains("فقرة ثانية فيها «اقتباس».</textarea>"),
        "the body kept"
    );

    // Signing in meanwhile: the name kept, 503, no failure counted.
    let other = app.with_new_browser();
    let response = other
        .login(crate::common::ADMIN_USER, crate::common::ADMIN_PASSWORD)
        .await;
    assert_eq!(response.status().as_u16(), 503);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("تعذّر تسجيل الدخول الآن")
    );

    holder.batch_execute("COMMIT").unwrap();
    drop(holder);
    assert_eq!(app.article_count(), before, "nothing half-saved");
    let response = app
        .submit_article("/admin/articles", &[("title", title), ("body", body)])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.article_count(), before + 1);
    let response = other
        .login(crate::common::ADMIN_USER, crate::common::ADMIN_PASSWORD)
        .await;
    assert_eq!(response.status().as_u16(), 303);
}

/// A small filesystem of its own, mounted for one test (needs root; unmounted on drop).
struct SmallDisk {
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("disk");
        std::fs::create_dir(&path).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&path)
            .output()
            .ok()?;
        mounted
            .status
            .success()
            .then_some(SmallDisk { path, _dir: dir })
    }

    /// Fills what is left of it; the filler is removed to free the space again.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let filler = self.path.join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        let _ = file.write_all(&[0u8; 512]);
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status();
    }
}

/// The same with a full disk: the form back whole with 503, nothing half-saved; once there
/// is room, the same form saves.
#[tokio::test]
async fn a_full_disk_gives_the_form_back_whole_and_saves_later() {
    let Some(disk) = SmallDisk::mount(16) else {
        eprintln!("full-disk test skipped: cannot mount a small tmpfs here (needs root)");
        return;
    };
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    // SQLite's full disk (PostgreSQL's is the server's): on a file, whatever the backend.
    settings.database = sahifa::db::DatabaseAddress::File(disk.path.join("sahifa.db"));
    let app = crate::common::spawn_app_with(settings, dir).await;
    app.login_as_admin().await;
    let before = app.article_count();
    let title = "خبر كُتب والقرص ممتلئ";
    let body = "فقرة ".repeat(2000);
    let filler = disk.fill();
    let response = app
        .submit_article("/admin/articles", &[("title", title), ("body", &body)])
        .await;
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let page = response.text().await.unwrap();
    assert!(page.contains("تعذّر الحفظ الآن؛ لم يضِع شيء مما كتبت"));
    assert!(
        page.contains(&format!(r#"value="{title}""#)),
        "the title kept"
    );
    assert_eq!(app.article_count(), before, "nothing half-saved");

    std::fs::remove_file(filler).unwrap();
    let response = app
        .submit_article("/admin/articles", &[("title", title), ("body", &body)])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.article_count(), before + 1);
    app.stop().await;
}
