//! Several instances on one PostgreSQL database, as behind a load balancer: counts exact
//! across all of them, an edit on one seen on the others within a moment, sign-in throttling
//! shared. Run whenever a PostgreSQL server answers (required with `CI=true`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use sahifa::config::Settings;
use sahifa::db::DatabaseAddress;
use tempfile::TempDir;

use crate::common::postgres;
use crate::common::{
    ADMIN_PASSWORD, ADMIN_USER, TestApp, edit_fields, new_client, now, shown_views, spawn_app_with,
};

/// A shared PostgreSQL database for a group of instances, dropped at the end.
struct SharedDatabase {
    url: String,
    /// Names the database (see `postgres::database_name`); kept for as long as it lives.
    dir: Arc<TempDir>,
}

impl SharedDatabase {
    fn new() -> Option<SharedDatabase> {
        if !postgres::available() {
            return None;
        }
        let dir = Arc::new(TempDir::new().unwrap());
        let url = postgres::create_for(dir.path());
        Some(SharedDatabase { url, dir })
    }

    /// The settings of one instance on it, with a state folder of its own.
    fn instance(&self, state: &TempDir) -> Settings {
        let mut settings = Settings::for_database(DatabaseAddress::Postgres {
            url: self.url.clone(),
            state_dir: state.path().to_owned(),
        });
        settings.view_flush_interval = Duration::from_millis(100);
        settings.list_page_ttl = Duration::ZERO;
        settings.list_anchor_ttl = Duration::ZERO;
        settings
    }

    async fn spawn(&self) -> (TestApp, Settings, Arc<TempDir>) {
        let state = Arc::new(TempDir::new().unwrap());
        let settings = self.instance(&state);
        let app = spawn_app_with(settings.clone(), state.clone()).await;
        (app, settings, state)
    }
}

impl Drop for SharedDatabase {
    fn drop(&mut self) {
        postgres::drop_for(self.dir.path());
    }
}

/// Visits `/a/{id}` `times` times on `app`, 16 at a time; every answer must be 200.
async fn visit(app: &TestApp, id: i64, times: usize) {
    let client = new_client();
    let url = format!("{}/a/{id}", app.address);
    let statuses: Vec<u16> = futures_util::stream::iter(0..times)
        .map(|_| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                client
                    .get(&url)
                    .send()
                    .await
                    .map_or(0, |r| r.status().as_u16())
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
}

/// Waits up to `within` for `check` to hold; how long it took.
async fn eventually(within: Duration, mut check: impl AsyncFnMut() -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < within {
        if check().await {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    None
}

#[tokio::test]
async fn three_instances_count_every_visit_exactly_across_a_restart() {
    let Some(shared) = SharedDatabase::new() else {
        return;
    };
    let (one, _, _) = shared.spawn().await;
    let (two, two_settings, two_state) = shared.spawn().await;
    let (three, _, _) = shared.spawn().await;
    let id = one.insert_article("خبر يقرؤه الجميع", "published", now() - 60);
    let before = one.stored_views(id);

    // A reader pinned to instance one: the count it sees never goes down while the others
    // count too.
    let pinned = {
        let address = format!("{}/a/{id}", one.address);
        tokio::spawn(async move {
            let client = new_client();
            let mut seen = Vec::new();
            for _ in 0..150 {
                let html = client
                    .get(&address)
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                seen.push(shown_views(&html));
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            seen
        })
    };
    tokio::join!(
        visit(&one, id, 1000),
        visit(&two, id, 1000),
        visit(&three, id, 1000)
    );
    // A graceful restart of instance two in the middle: what it counted is written as it stops.
    two.stop().await;
    let two = spawn_app_with(two_settings, two_state).await;
    tokio::join!(
        visit(&one, id, 1000),
        visit(&two, id, 1000),
        visit(&three, id, 1000)
    );
    let seen = pinned.await.unwrap();

    let expected = before + 6_000 + seen.len() as i64;
    one.wait_until_flushed(id, expected).await;
    assert!(
        seen.windows(2).all(|pair| pair[0] < pair[1]),
        "a reader on one instance sees the count go up with each visit: {seen:?}"
    );
    // Every instance shows the exact total once the flushes are in and it reads it again.
    for app in [&one, &two, &three] {
        let shown = eventually(Duration::from_secs(8), async || {
            let (_, html) = app.get_html(&format!("/a/{id}")).await;
            shown_views(&html) >= expected
        })
        .await;
        assert!(
            shown.is_some(),
            "instance {} shows the others' visits",
            app.port
        );
    }
}

#[tokio::test]
async fn an_edit_on_one_instance_is_seen_on_the_others_within_two_seconds() {
    let Some(shared) = SharedDatabase::new() else {
        return;
    };
    let (one, _, _) = shared.spawn().await;
    let (two, _, _) = shared.spawn().await;
    let (three, three_settings, three_state) = shared.spawn().await;
    one.login_as_admin().await;
    let id = one
        .create_article_via_form(&[("title", "افتتاح جسر جديد فوق النهر")])
        .await;
    // Every instance has the article in its pages and its own search index.
    for app in [&two, &three] {
        let (status, html) = app.get_html(&format!("/a/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("افتتاح جسر جديد فوق النهر"));
        let found = eventually(Duration::from_secs(2), async || {
            app.get_html("/search?q=جسر")
                .await
                .1
                .contains(&format!("/a/{id}"))
        })
        .await;
        assert!(
            found.is_some(),
            "instance {} finds the new article",
            app.port
        );
    }

    let edit = |title: &'static str| {
        let one = &one;
        async move {
            let (_, page) = one.get_html(&format!("/admin/articles/{id}/edit")).await;
            let (_, version) = edit_fields(&page);
            let response = one
                .submit_article(
                    &format!("/admin/articles/{id}"),
                    &[
                        ("version", &version),
                        ("title", title),
                        ("body", "نص الخبر بعد التعديل."),
                    ],
                )
                .await;
            assert_eq!(response.status().as_u16(), 303);
        }
    };
    edit("افتتاح مرفأ صيد في اللاذقية").await;
    for app in [&two, &three] {
        let seen = eventually(Duration::from_secs(2), async || {
            let (_, html) = app.get_html(&format!("/a/{id}")).await;
            let (_, home) = app.get_html("/").await;
            let (_, search) = app.get_html("/search?q=مرفأ").await;
            html.contains("افتتاح مرفأ صيد في اللاذقية")
                && home.contains("افتتاح مرفأ صيد في اللاذقية")
                && search.contains(&format!("/a/{id}"))
        })
        .await;
        println!("instance {}: the edit seen after {seen:?}", app.port);
        assert!(
            seen.is_some(),
            "instance {} shows the edit within 2 s",
            app.port
        );
    }

    // An instance that was down while an edit was made catches up when it starts.
    three.stop().await;
    edit("افتتاح مطحنة في حمص").await;
    let three = spawn_app_with(three_settings, three_state).await;
    let (_, html) = three.get_html(&format!("/a/{id}")).await;
    assert!(html.contains("افتتاح مطحنة في حمص"));
    let (_, search) = three.get_html("/search?q=مطحنة").await;
    assert!(
        search.contains(&format!("/a/{id}")),
        "its own index caught up"
    );

    // A delete, likewise.
    let (_, confirm) = one.get_html(&format!("/admin/articles/{id}/delete")).await;
    let token = crate::common::csrf_token(&confirm);
    let response = one
        .post_form(
            &format!("/admin/articles/{id}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    for app in [&two, &three] {
        let gone = eventually(Duration::from_secs(2), async || {
            let status = app.get(&format!("/a/{id}")).await.status().as_u16();
            let (_, search) = app.get_html("/search?q=مطحنة").await;
            status == 404 && !search.contains(&format!("/a/{id}"))
        })
        .await;
        assert!(
            gone.is_some(),
            "instance {} forgets the deleted article",
            app.port
        );
    }
}

#[tokio::test]
async fn five_bad_passwords_spread_over_three_instances_lock_all_of_them() {
    let Some(shared) = SharedDatabase::new() else {
        return;
    };
    let (one, _, _) = shared.spawn().await;
    let (two, _, _) = shared.spawn().await;
    let (three, _, _) = shared.spawn().await;
    one.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    for (attempt, app) in [&one, &two, &three, &one, &two].into_iter().enumerate() {
        let response = app.login(ADMIN_USER, "not the password").await;
        assert_eq!(response.status().as_u16(), 200, "attempt {}", attempt + 1);
    }
    for app in [&one, &two, &three] {
        let response = app.login(ADMIN_USER, ADMIN_PASSWORD).await;
        assert_eq!(response.status().as_u16(), 429, "instance {}", app.port);
    }
}

/// A form served by one instance is accepted by another: they share the signing key,
/// kept in the database.
#[tokio::test]
async fn a_form_from_one_instance_is_accepted_by_another() {
    let Some(shared) = SharedDatabase::new() else {
        return;
    };
    let (one, _, _) = shared.spawn().await;
    let (two, _, _) = shared.spawn().await;
    one.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    let (_, form) = one.get_html("/admin/login").await;
    let token = crate::common::csrf_token(&form);
    // The same browser (cookies are per host, not per port), posting to the other instance.
    let response = one
        .client
        .post(format!("{}/admin/login", two.address))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", ADMIN_USER),
            ("password", ADMIN_PASSWORD),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let (status, _) = one.get_html("/admin").await;
    assert_eq!(status, 200, "the session works on the first instance too");
}

/// `copy-database` moves a site from SQLite to PostgreSQL: the same pages, counts, search
/// results and pictures on the other side; a target holding a site is refused unless told.
#[tokio::test]
async fn copy_database_moves_a_site_from_sqlite_to_postgresql() {
    let Some(shared) = SharedDatabase::new() else {
        return;
    };
    let dir = Arc::new(TempDir::new().unwrap());
    let sqlite = dir.path().join("sahifa.db");
    let mut settings = Settings::for_database(DatabaseAddress::File(sqlite.clone()));
    settings.view_flush_interval = Duration::from_millis(100);
    let app = spawn_app_with(settings, dir.clone()).await;
    app.login_as_admin().await;
    let (status, location, _) = crate::pictures::upload(
        &app,
        crate::common::landscape_jpeg(1600, 900),
        "p.jpg",
        "صورة الجسر",
    )
    .await;
    assert_eq!(status, 303, "{location}");
    let mut ids = Vec::new();
    for (n, title) in [
        "ترميم الجسر القديم في دير الزور",
        "معرض للكتاب في حلب",
        "موسم الزيتون في إدلب",
    ]
    .into_iter()
    .enumerate()
    {
        let id = app.create_article_via_form(&[("title", title)]).await;
        visit(&app, id, n * 7 + 3).await;
        ids.push(id);
    }
    let searches = ["الجسر", "معرض", "الزيتون"];
    let mut found_before = Vec::new();
    for q in searches {
        found_before.push(crate::search::result_ids(
            &app.get_html(&format!("/search?q={q}")).await.1,
        ));
    }
    let (_, media_before) = app.get_html("/admin/media").await;
    let dir = app.stop().await;
    let mut conn = sahifa::db::connect(&DatabaseAddress::File(sqlite.clone())).unwrap();
    let before: Vec<i64> = ids
        .iter()
        .map(|id| {
            sahifa::db::articles::stored_views(&mut conn, sahifa::core::ArticleId::from_db(*id))
                .unwrap()
                .unwrap()
        })
        .collect();
    assert_eq!(before, [3, 10, 17], "every visit stored at the stop");

    let copy = |replace: bool| {
        let mut command = crate::cli::sahifa();
        command
            .args(["copy-database", "--from"])
            .arg(&sqlite)
            .args(["--to", &shared.url]);
        if replace {
            command.arg("--replace");
        }
        command.output().unwrap()
    };
    let output = copy(false);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("every table's count matches"), "{stdout}");
    assert!(stdout.contains("articles"), "{stdout}");

    let state = Arc::new(TempDir::new().unwrap());
    let moved = spawn_app_with(shared.instance(&state), state.clone()).await;
    for (id, views) in ids.iter().zip(&before) {
        assert_eq!(
            moved.stored_views(*id),
            *views,
            "the views of {id} came along"
        );
        let (status, _) = moved.get_html(&format!("/a/{id}")).await;
        assert_eq!(status, 200);
    }
    for (q, expected) in searches.iter().zip(&found_before) {
        let found = crate::search::result_ids(&moved.get_html(&format!("/search?q={q}")).await.1);
        assert_eq!(&found, expected, "search for {q}");
    }
    // The same account signs in, and sees the same picture library.
    moved
        .login(crate::common::ADMIN_USER, crate::common::ADMIN_PASSWORD)
        .await;
    let (_, media_after) = moved.get_html("/admin/media").await;
    assert!(media_after.contains("صورة الجسر") && media_before.contains("صورة الجسر"));
    // A new section gets a new id (the sequences moved past the copied ones).
    drop(moved);

    // Copying again onto a site is refused, and nothing changes; with --replace it works.
    let output = copy(false);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("already holds a site"));
    let output = copy(true);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    drop(dir);
}
