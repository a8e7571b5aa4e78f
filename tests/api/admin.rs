//! The newsroom admin, driven over HTTP with a cookie jar, as a browser would.

use std::time::Duration;

use sahifa::config::Settings;
use sahifa::db::DatabaseAddress;

use crate::common::{
    ADMIN_PASSWORD, ADMIN_USER, attribute, edit_fields, now, shown_views, spawn_app,
};

#[tokio::test]
async fn login_fails_with_a_wrong_password_and_succeeds_with_the_right_one() {
    let app = spawn_app().await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;

    let response = app.login(ADMIN_USER, "wrong password!!").await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("اسم المستخدم أو كلمة المرور غير صحيحة."));
    assert!(
        html.contains(&format!(r#"value="{ADMIN_USER}""#)),
        "username kept"
    );

    let response = app.login("nobody-here", "wrong password!!").await;
    let html = response.text().await.unwrap();
    assert!(
        html.contains("اسم المستخدم أو كلمة المرور غير صحيحة."),
        "same message"
    );

    let response = app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/admin");
    let cookie = crate::common::session_cookie(&response);
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");

    let response = app.get("/admin").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.text().await.unwrap().contains("تسجيل الخروج"));
}

#[tokio::test]
async fn the_newsroom_writes_edits_schedules_and_deletes_articles() {
    let app = spawn_app().await;
    app.login_as_admin().await;

    // Publish now: readers see it at once.
    let id = app
        .create_article_via_form(&[("title", "افتتاح مكتبة عامة جديدة في حي الميدان")])
        .await;
    let (_, edit) = app
        .get_html(&format!("/admin/articles/{id}/edit?saved=1"))
        .await;
    assert!(edit.contains("تم الحفظ."));
    assert!(
        edit.contains(&format!("{}/a/{id}", app.address)),
        "link to the public page"
    );
    let (_, home) = app.get_html("/").await;
    assert!(home.contains("افتتاح مكتبة عامة جديدة في حي الميدان"));
    let (status, page) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<p>الفقرة الثانية.</p>"),
        "Markdown paragraphs"
    );
    assert!(
        page.contains(&format!("rel=\"author\"><bdi>{ADMIN_USER}</bdi></a>")),
        "author defaults to the user"
    );
    app.get(&format!("/a/{id}")).await;

    // Edit: same id, same views.
    let (token, version) = edit_fields(&edit);
    let section = app.section_id("culture").to_string();
    let response = app
        .post_form(
            &format!("/admin/articles/{id}"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("title", "افتتاح مكتبة عامة في حي الميدان بدمشق"),
                ("summary", "ملخص معدل."),
                ("body", "نص معدل."),
                ("section_id", &section),
                ("author", "سلمى"),
                ("status", "published"),
                ("published_at", ""),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/admin/articles/{id}/edit?saved=1").as_str()
    );
    let (_, page) = app.get_html(&format!("/a/{id}")).await;
    assert!(page.contains("افتتاح مكتبة عامة في حي الميدان بدمشق"));
    assert_eq!(
        shown_views(&page),
        3,
        "editing kept the views (2 before, this visit 3rd)"
    );

    // A draft is not for readers.
    let draft = app
        .create_article_via_form(&[("title", "مسودة لم تكتمل بعد"), ("status", "draft")])
        .await;
    assert_eq!(app.get(&format!("/a/{draft}")).await.status().as_u16(), 404);
    let (_, home) = app.get_html("/").await;
    assert!(!home.contains("مسودة لم تكتمل بعد"));
    let (_, list) = app.get_html("/admin?status=draft").await;
    assert!(list.contains("مسودة لم تكتمل بعد") && list.contains("مسودة"));

    // Scheduled a few seconds ahead: hidden, then visible without a restart.
    let at =
        chrono::Utc::now().with_timezone(&chrono_tz::Asia::Damascus) + chrono::Duration::seconds(3);
    let at = at.format("%Y-%m-%dT%H:%M:%S").to_string();
    let scheduled = app
        .create_article_via_form(&[("title", "خبر مجدول يظهر بعد لحظات"), ("published_at", &at)])
        .await;
    assert_eq!(
        app.get(&format!("/a/{scheduled}")).await.status().as_u16(),
        404
    );
    let (_, list) = app.get_html("/admin?status=scheduled").await;
    assert!(list.contains("خبر مجدول يظهر بعد لحظات") && list.contains("مجدول"));
    tokio::time::sleep(Duration::from_millis(4200)).await;
    assert_eq!(
        app.get(&format!("/a/{scheduled}")).await.status().as_u16(),
        200
    );
    let (_, home) = app.get_html("/").await;
    assert!(home.contains("خبر مجدول يظهر بعد لحظات"));

    // Delete, after a confirmation page.
    let (status, confirm) = app.get_html(&format!("/admin/articles/{id}/delete")).await;
    assert_eq!(status, 200);
    let token = crate::common::csrf_token(&confirm);
    let response = app
        .post_form(
            &format!("/admin/articles/{id}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.get(&format!("/a/{id}")).await.status().as_u16(), 404);

    // Sign out.
    let token = app.session_csrf().await;
    let response = app
        .post_form("/admin/logout", &[("csrf_token", &token)])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.get("/admin").await.status().as_u16(), 303);
}

#[tokio::test]
async fn preview_shows_the_reader_page_without_saving_and_goes_back_with_the_text() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let before = app.article_count();
    let body = "فقرة أولى فيها **خط عريض**.\n\nفقرة ثانية.";
    let response = app
        .submit_article(
            "/admin/preview",
            &[("title", "عنوان في المعاينة فقط"), ("body", body)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("<h1>عنوان في المعاينة فقط</h1>"),
        "the reader's template"
    );
    assert!(html.contains("<strong>خط عريض</strong>"));
    assert!(html.contains("معاينة"));
    assert!(html.contains("حجم الخط") && html.contains("المزيد"));
    assert_eq!(app.article_count(), before, "nothing saved");

    // Back to editing, everything as typed.
    let token = crate::common::csrf_token(&html);
    let fields: Vec<(String, String)> = [
        "article_id",
        "version",
        "title",
        "summary",
        "body",
        "section_id",
        "author",
        "status",
        "published_at",
    ]
    .iter()
    .map(|name| {
        let marker = format!(r#"type="hidden" name="{name}""#);
        let value = attribute(&html, &marker, "value").unwrap_or_default();
        (name.to_string(), decode_html(value))
    })
    .collect();
    let mut form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("csrf_token", &token));
    let response = app.post_form("/admin/articles/resume", &form).await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"value="عنوان في المعاينة فقط""#));
    assert!(html.contains("فقرة أولى فيها **خط عريض**."), "{html}");
    assert_eq!(app.article_count(), before);
}

/// Undoes askama's escaping of attribute values.
pub(super) fn decode_html(value: &str) -> String {
    value
        .replace("&#10;", "\n")
        .replace("&#13;", "\r")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn an_edit_made_on_a_stale_copy_is_refused_with_the_text_kept() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let id = app
        .create_article_via_form(&[("title", "خبر يحرره محرران معًا")])
        .await;
    let (_, first_copy) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (token, old_version) = edit_fields(&first_copy);

    // A colleague saves first.
    let response = app
        .submit_article(
            &format!("/admin/articles/{id}"),
            &[
                ("title", "نسخة الزميل المحفوظة أولًا"),
                ("version", &old_version),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    // Then we save on the old version.
    let section = app.section_id("politics").to_string();
    let response = app
        .post_form(
            &format!("/admin/articles/{id}"),
            &[
                ("csrf_token", &token),
                ("version", &old_version),
                ("title", "نسختي التي كتبتها على نسخة قديمة"),
                ("body", "نص كتبته بعناية."),
                ("section_id", &section),
                ("status", "published"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 409);
    let html = response.text().await.unwrap();
    assert!(html.contains("حفظ أحدُ الزملاء هذا الخبر"));
    assert!(
        html.contains("نسختي التي كتبتها على نسخة قديمة"),
        "my text kept"
    );
    assert!(html.contains("نص كتبته بعناية."));
    let (_, page) = app.get_html(&format!("/a/{id}")).await;
    assert!(page.contains("نسخة الزميل المحفوظة أولًا"), "not overwritten");
}

#[tokio::test]
async fn bad_input_comes_back_with_everything_typed_and_a_message_per_field() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let before = app.article_count();
    let long_title = "ع".repeat(301);
    let huge_body = "نص ".repeat(90_000); // ~450 KB
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("title", ""), ("summary", "ملخص أبقيه")],
            "العنوان مطلوب.",
        ),
        (
            vec![("title", &long_title), ("summary", "ملخص أبقيه")],
            "العنوان طويل جدًا",
        ),
        (
            vec![
                ("title", "عنوان فيه \u{202E} قلب"),
                ("summary", "ملخص أبقيه"),
            ],
            "محارف تحكّم",
        ),
        (
            vec![
                ("title", "عنوان فيه \u{0000} صفر"),
                ("summary", "ملخص أبقيه"),
            ],
            "محارف تحكّم",
        ),
        (
            vec![("body", &huge_body), ("summary", "ملخص أبقيه")],
            "200 كيلوبايت",
        ),
        (
            vec![("published_at", "غدًا صباحًا"), ("summary", "ملخص أبقيه")],
            "تاريخ النشر غير صالح",
        ),
        (
            vec![("section_id", "999999"), ("summary", "ملخص أبقيه")],
            "اختر قسمًا",
        ),
    ];
    for (fields, message) in cases {
        let response = app.submit_article("/admin/articles", &fields).await;
        assert_eq!(response.status().as_u16(), 422, "{message}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{message}");
        assert!(html.contains("ملخص أبقيه"), "input kept for {message}");
        assert!(html.contains(r#"aria-invalid="true""#));
    }
    assert_eq!(app.article_count(), before, "nothing half-saved");

    // A long but ordinary article saves.
    let long_body = "هذه جملة عربية في خبر طويل جدًا. ".repeat(1_300); // ~40,000 characters
    assert!(long_body.chars().count() >= 40_000);
    let id = app.create_article_via_form(&[("body", &long_body)]).await;
    let (status, page) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("هذه جملة عربية في خبر طويل جدًا."));
}

#[tokio::test]
async fn a_form_beyond_the_size_limit_gets_an_arabic_413() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let token = app.session_csrf().await;
    let oversized = "ب".repeat(600_000); // ~3.6 MB URL-encoded
    let response = app
        .post_form(
            "/admin/articles",
            &[
                ("csrf_token", &token),
                ("title", "عنوان"),
                ("body", &oversized),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 413);
    let html = response.text().await.unwrap();
    assert!(html.contains("المحتوى أكبر من المسموح"), "{html}");
    assert!(html.contains(r#"lang="ar""#));

    // 1.5 MB of form data is accepted (and judged on its content: the body is too long).
    let big = "ب".repeat(250_000); // 1.5 MB URL-encoded
    let response = app
        .post_form(
            "/admin/articles",
            &[
                ("csrf_token", &token),
                ("title", "عنوان طويل بما يكفي"),
                ("body", &big),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
}

#[tokio::test]
async fn admins_manage_sections() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let (status, html) = app.get_html("/admin/sections").await;
    assert_eq!(status, 200);
    let token = crate::common::csrf_token(&html);

    let response = app
        .post_form(
            "/admin/sections",
            &[
                ("csrf_token", &token),
                ("name", "رياضة"),
                ("slug", "sports"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, home) = app.get_html("/").await;
    assert!(
        home.contains(r#"href="/section/sports""#),
        "menu updated at once"
    );

    for (name, slug, message) in [
        ("رياضة 2", "sports", "مستخدم لقسم آخر"),
        ("منوعات", "Bad Slug", "المعرّف غير صالح"),
        ("", "misc", "اسم القسم مطلوب"),
    ] {
        let response = app
            .post_form(
                "/admin/sections",
                &[("csrf_token", &token), ("name", name), ("slug", slug)],
            )
            .await;
        assert_eq!(response.status().as_u16(), 422, "{slug}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{message}");
        assert!(
            html.contains(&format!(r#"value="{name}""#)),
            "typed name kept"
        );
    }

    let sports = app.section_id("sports");
    let response = app
        .post_form(
            &format!("/admin/sections/{sports}"),
            &[("csrf_token", &token), ("name", "الرياضة")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, home) = app.get_html("/").await;
    assert!(home.contains(">الرياضة</a>"));

    // A section with articles cannot be deleted; an empty one can.
    app.insert_article_in(
        "sports",
        "خبر رياضي يمنع حذف القسم",
        "published",
        now() - 60,
    );
    let response = app
        .post_form(
            &format!("/admin/sections/{sports}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("لا يمكن حذف قسم فيه أخبار")
    );
    let culture = app.section_id("culture");
    let response = app
        .post_form(
            &format!("/admin/sections/{culture}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, home) = app.get_html("/").await;
    assert!(!home.contains(r#"href="/section/culture""#));
}

#[tokio::test]
async fn admins_create_users_who_can_then_sign_in() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let (_, html) = app.get_html("/admin/users").await;
    let token = crate::common::csrf_token(&html);
    let response = app
        .post_form(
            "/admin/users",
            &[
                ("csrf_token", &token),
                ("username", "layla"),
                ("password", "short"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.unwrap().contains("بين 12 و128"));
    let response = app
        .post_form(
            "/admin/users",
            &[
                ("csrf_token", &token),
                ("username", "layla"),
                ("password", "a long enough password"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    let other = spawn_app_sharing(&app);
    let response = other.login("layla", "a long enough password").await;
    assert_eq!(response.status().as_u16(), 303);
}

/// A second browser (own cookie jar) on the same server.
fn spawn_app_sharing(app: &crate::common::TestApp) -> crate::common::TestApp {
    app.with_new_browser()
}

#[tokio::test]
async fn sessions_end_after_the_idle_timeout() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    settings.session_idle_timeout = Duration::from_secs(1);
    let app = crate::common::spawn_app_with(settings, dir).await;
    app.login_as_admin().await;
    assert_eq!(app.get("/admin").await.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(
        app.get("/admin").await.status().as_u16(),
        303,
        "idle session ended"
    );
}

#[tokio::test]
async fn sessions_end_twelve_hours_after_sign_in_however_active() {
    // Twelve hours by default; a test server's sessions last one second, and the editor
    // stays active all the while.
    assert_eq!(
        Settings::for_database(DatabaseAddress::File("x".into())).session_lifetime,
        Duration::from_secs(12 * 3600)
    );
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    settings.session_lifetime = Duration::from_secs(1);
    let app = crate::common::spawn_app_with(settings, dir).await;
    app.login_as_admin().await;
    for _ in 0..4 {
        assert_eq!(app.get("/admin").await.status().as_u16(), 200);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(app.get("/admin").await.status().as_u16(), 303);
}

#[tokio::test]
async fn a_new_password_ends_the_users_sessions() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    assert_eq!(app.get("/admin").await.status().as_u16(), 200);
    app.create_user(ADMIN_USER, "a completely new password", "admin")
        .await;
    assert_eq!(app.get("/admin").await.status().as_u16(), 303);
}

#[tokio::test]
async fn cookies_are_secure_when_the_site_is_served_over_https() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    settings.base_url = Some("https://news.example".to_owned());
    let app = crate::common::spawn_app_with(settings, dir).await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    let response = app.get("/admin/login").await;
    let login_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(login_cookie.contains("Secure"), "{login_cookie}");
}

#[tokio::test]
async fn the_article_list_filters_searches_and_pages() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let mut ids = Vec::new();
    for n in 0..35 {
        ids.push(app.insert_article(&format!("خبر عادي رقم {n}"), "published", now() - 1000 + n));
    }
    let draft = app.insert_article_in(
        "economy",
        "تقرير عن أسعار القمح 100% في الأسواق",
        "draft",
        now() - 5,
    );
    ids.push(draft);
    // Rows written directly: indexed as a save would.
    let ids: Vec<_> = ids
        .into_iter()
        .map(sahifa::core::ArticleId::from_db)
        .collect();
    app.db.search().update(&mut app.conn(), &ids).unwrap();
    let (_, page1) = app.get_html("/admin").await;
    assert!(page1.contains("عدد النتائج: <bdi>36</bdi>"));
    assert!(
        page1.contains(
            r#"rel="next" href="/admin?status=&#38;section=&#38;author=&#38;q=&#38;sort=&#38;page=2""#
        ),
        "{page1}"
    );
    let (status, page2) = app.get_html("/admin?status=&section=&q=&page=2").await;
    assert_eq!(status, 200);
    assert!(page2.contains("خبر عادي رقم 0"), "oldest on the last page");

    let (_, found) = app
        .get_html("/admin?q=%D8%A7%D9%84%D9%82%D9%85%D8%AD")
        .await; // القمح
    assert!(
        found.contains("عدد النتائج: <bdi>1</bdi>"),
        "a draft is found"
    );
    // The reader's Arabic search: another form of the word (قمح without the article).
    let (_, other_form) = app
        .get_html("/admin?q=%D9%84%D9%84%D9%82%D9%85%D8%AD")
        .await; // للقمح
    assert!(
        other_form.contains("عدد النتائج: <bdi>1</bdi>"),
        "{other_form}"
    );
    let (_, number) = app.get_html("/admin?q=100%25").await;
    assert!(number.contains("عدد النتائج: <bdi>1</bdi>"));
    let (_, none) = app.get_html("/admin?q=%25%25%25").await;
    assert!(none.contains("عدد النتائج: <bdi>0</bdi>"));
    let economy = app.section_id("economy");
    let (_, by_section) = app
        .get_html(&format!("/admin?section={economy}&status=draft"))
        .await;
    assert!(by_section.contains("عدد النتائج: <bdi>1</bdi>"));
    let (_, published) = app.get_html("/admin?status=published").await;
    assert!(published.contains("عدد النتائج: <bdi>35</bdi>"));
    assert_eq!(app.get("/admin?page=abc").await.status().as_u16(), 404);
}

#[tokio::test]
async fn search_follows_what_the_newsroom_saves_and_deletes() {
    use crate::search::search_ids;
    let app = spawn_app().await;
    app.login_as_admin().await;
    let id = app
        .create_article_via_form(&[
            ("title", "مهرجان الزيتون في صافيتا"),
            ("body", "قطاف وفير هذا العام."),
        ])
        .await;
    assert_eq!(search_ids(&app, "الزيتون").await, [id]);

    // Edit: the old word leaves the index, the new one arrives.
    let (_, edit) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (_, version) = edit_fields(&edit);
    let response = app
        .submit_article(
            &format!("/admin/articles/{id}"),
            &[
                ("title", "مهرجان الرمان في درعا"),
                ("body", "موسم جيد."),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(search_ids(&app, "الزيتون").await.is_empty());
    assert_eq!(search_ids(&app, "رمان").await, [id]);

    // Back to draft: gone from results; published again: back.
    let (_, edit) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (_, version) = edit_fields(&edit);
    app.submit_article(
        &format!("/admin/articles/{id}"),
        &[
            ("title", "مهرجان الرمان في درعا"),
            ("status", "draft"),
            ("version", &version),
        ],
    )
    .await;
    assert!(
        search_ids(&app, "رمان").await.is_empty(),
        "drafts never appear"
    );

    // Delete: gone for good.
    let (_, confirm) = app.get_html(&format!("/admin/articles/{id}/delete")).await;
    let token = crate::common::csrf_token(&confirm);
    app.post_form(
        &format!("/admin/articles/{id}/delete"),
        &[("csrf_token", &token)],
    )
    .await;
    assert!(search_ids(&app, "رمان").await.is_empty());
    assert_eq!(app.db.search().len(), 0, "no index entry left behind");
}

#[tokio::test]
async fn signing_in_sweeps_away_expired_sessions() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    settings.session_idle_timeout = Duration::from_secs(1);
    let app = crate::common::spawn_app_with(settings, dir).await;
    app.login_as_admin().await;
    // The first session is left idle past the timeout, never used again.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let other = app.with_new_browser();
    assert_eq!(
        other
            .login(ADMIN_USER, ADMIN_PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
    let left = sahifa::db::sessions::count(&mut app.conn()).unwrap();
    assert_eq!(left, 1, "only the new session remains");
}

#[tokio::test]
async fn list_pages_are_reused_briefly_but_newsroom_changes_show_at_once() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    settings.list_page_ttl = Duration::from_secs(60);
    let app = crate::common::spawn_app_with(settings, dir).await;
    app.login_as_admin().await;
    let (_, home) = app.get_html("/").await;
    assert!(!home.contains("خبر كتب في قاعدة البيانات مباشرة"));

    // A row written behind the newsroom's back waits for the copy to expire…
    app.insert_article("خبر كتب في قاعدة البيانات مباشرة", "published", now() - 60);
    let (_, home) = app.get_html("/").await;
    assert!(
        !home.contains("خبر كتب في قاعدة البيانات مباشرة"),
        "the rendered copy is reused"
    );
    let (_, search) = app
        .get_html("/search?q=%D9%85%D8%A8%D8%A7%D8%B4%D8%B1%D8%A9")
        .await;
    let (_, again) = app
        .get_html("/search?q=%D9%85%D8%A8%D8%A7%D8%B4%D8%B1%D8%A9")
        .await;
    assert_eq!(search, again);

    // …but anything saved in the newsroom shows on the next page view.
    app.create_article_via_form(&[("title", "خبر نشر من غرفة الأخبار الآن")])
        .await;
    let (_, home) = app.get_html("/").await;
    assert!(home.contains("خبر نشر من غرفة الأخبار الآن"));
    assert!(home.contains("خبر كتب في قاعدة البيانات مباشرة"));
    let (_, politics) = app.get_html("/section/politics").await;
    assert!(politics.contains("خبر نشر من غرفة الأخبار الآن"));
}

#[tokio::test]
async fn the_form_says_when_readers_will_see_the_article_and_never_links_to_a_404() {
    let app = crate::common::spawn_app().await;
    app.login_as_editor().await;
    for (status, published_at, says, public) in [
        ("draft", "", "مسودة: لا يراها القراء", false),
        (
            "published",
            "2099-01-01T09:00:00",
            "مجدول: يظهر للقراء في",
            false,
        ),
        ("published", "", "الصفحة العامة", true),
    ] {
        let id = app
            .create_article_via_form(&[("status", status), ("published_at", published_at)])
            .await;
        let (_, form) = app
            .get_html(&format!("/admin/articles/{id}/edit?saved=1"))
            .await;
        assert!(form.contains("تم الحفظ."), "{status} {published_at}");
        assert!(form.contains(says), "{status} {published_at}: {says}");
        let links_public = form.contains(&format!("/a/{id}\""));
        assert_eq!(links_public, public, "{status} {published_at}");
        let public_status = app.get(&format!("/a/{id}")).await.status().as_u16();
        assert_eq!(
            public_status == 200,
            public,
            "the link, when there is one, works"
        );
    }
}

#[tokio::test]
async fn the_article_list_filters_by_author_and_sorts_by_views_or_relevance() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let bridge = app
        .create_article_via_form(&[
            ("title", "افتتاح جسر جديد فوق النهر"),
            ("body", "عبرت السيارات الجسر صباح اليوم."),
            ("author", "سلمى"),
        ])
        .await;
    let market = app
        .create_article_via_form(&[
            ("title", "أسعار الخضار في السوق"),
            ("body", "قال باعة قرب الجسر القديم إن الأسعار استقرت."),
            ("author", "كريم"),
        ])
        .await;
    let weather = app
        .create_article_via_form(&[
            ("title", "طقس بارد في الأيام المقبلة"),
            ("body", "أمطار متوقعة."),
            ("author", "سلمى"),
            ("status", "draft"),
        ])
        .await;
    let position = |html: &str, id: i64| html.find(&format!("/admin/articles/{id}/edit"));

    // By author: exactly that byline; the filter offers every byline used.
    let (_, salma) = app.get_html("/admin?author=%D8%B3%D9%84%D9%85%D9%89").await;
    assert!(salma.contains("عدد النتائج: <bdi>2</bdi>"), "{salma}");
    assert!(position(&salma, market).is_none());
    assert!(salma.contains(r#"<option value="كريم">"#));

    // By views: the market report was read three times, the bridge once.
    let reader = app.with_new_browser();
    for _ in 0..3 {
        reader.get(&format!("/a/{market}")).await;
    }
    reader.get(&format!("/a/{bridge}")).await;
    app.wait_until_flushed(market, 3).await;
    app.wait_until_flushed(bridge, 1).await;
    let (_, by_views) = app.get_html("/admin?sort=views").await;
    let order: Vec<_> = [market, bridge, weather]
        .iter()
        .map(|id| position(&by_views, *id).unwrap())
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{order:?}");

    // Searching as readers do: "جسر" finds "الجسر" in one body and "جسر" in the other's
    // title; the closer match (the title) comes first when asked for.
    let (_, found) = app
        .get_html("/admin?q=%D8%AC%D8%B3%D8%B1&sort=relevance")
        .await; // جسر
    assert!(found.contains("عدد النتائج: <bdi>2</bdi>"), "{found}");
    assert!(position(&found, bridge).unwrap() < position(&found, market).unwrap());
    // A draft is searched too.
    let (_, draft) = app
        .get_html("/admin?q=%D8%A3%D9%85%D8%B7%D8%A7%D8%B1")
        .await; // أمطار
    assert!(position(&draft, weather).is_some());
}
