//! What an attacker tries against the admin, and what they get: nothing.

use crate::common::{ADMIN_PASSWORD, ADMIN_USER, csrf_token, now, spawn_app};

/// Every state-changing admin route, with a path that exists.
async fn admin_posts(app: &crate::common::TestApp) -> Vec<String> {
    let article = app.insert_article("خبر هدف للهجمات", "published", now() - 60);
    let section = app.section_id("society");
    vec![
        "/admin/articles".to_owned(),
        format!("/admin/articles/{article}"),
        format!("/admin/articles/{article}/delete"),
        "/admin/preview".to_owned(),
        "/admin/articles/resume".to_owned(),
        "/admin/sections".to_owned(),
        format!("/admin/sections/{section}"),
        format!("/admin/sections/{section}/delete"),
        "/admin/users".to_owned(),
        "/admin/front/lead".to_owned(),
        "/admin/front/lead/clear".to_owned(),
        "/admin/front/featured".to_owned(),
        "/admin/front/breaking".to_owned(),
        "/admin/front/breaking/clear".to_owned(),
        "/admin/authors/%D8%A7".to_owned(),
        "/admin/pages/about".to_owned(),
        "/admin/logo".to_owned(),
        "/admin/logout".to_owned(),
    ]
}

#[tokio::test]
async fn admin_pages_need_a_session() {
    let app = spawn_app().await;
    let article = app.insert_article("خبر", "published", now() - 60);
    for path in [
        "/admin".to_owned(),
        "/admin/".to_owned(),
        "/admin/articles/new".to_owned(),
        format!("/admin/articles/{article}/edit"),
        format!("/admin/articles/{article}/delete"),
        "/admin/sections".to_owned(),
        "/admin/users".to_owned(),
        "/admin/front".to_owned(),
        "/admin/authors".to_owned(),
        "/admin/pages".to_owned(),
        "/admin/no-such-page".to_owned(),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status().as_u16(), 303, "{path}");
        let location = response.headers()["location"].to_str().unwrap();
        assert!(
            location.starts_with("/admin/login?next="),
            "{path}: {location}"
        );
    }
    for path in admin_posts(&app).await {
        let response = app
            .post_form(&path, &[("csrf_token", "x"), ("title", "t")])
            .await;
        // To sign in (303); the article forms, which would keep what was typed until the
        // editor signs in, refuse (403) a post that does not show it comes from this site.
        let status = response.status().as_u16();
        assert!(matches!(status, 303 | 403), "POST {path}: {status}");
    }
    assert_eq!(app.article_count(), 2, "nothing changed");
}

#[tokio::test]
async fn posts_without_the_right_csrf_token_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let good_token = app.session_csrf().await;
    let before = app.article_count();
    let sections_before = sahifa::db::sections::all(&mut app.conn()).unwrap();
    for path in admin_posts(&app).await {
        for token in [
            None,
            Some(""),
            Some("00ff"),
            Some(&good_token[..good_token.len() - 2]),
        ] {
            let mut fields = vec![
                ("title", "خبر مزور من موقع آخر"),
                ("body", "نص"),
                ("name", "اسم"),
                ("slug", "forged"),
                ("username", "mallory"),
                ("password", "a long enough password"),
            ];
            if let Some(token) = token {
                fields.push(("csrf_token", token));
            }
            let response = app.post_form(&path, &fields).await;
            assert_eq!(
                response.status().as_u16(),
                403,
                "POST {path} with {token:?}"
            );
            let html = response.text().await.unwrap();
            assert!(html.contains("غير مسموح"), "Arabic 403 page");
        }
    }
    assert_eq!(
        app.article_count(),
        before + 1,
        "only the fixture article was added"
    );
    assert_eq!(
        sahifa::db::sections::all(&mut app.conn()).unwrap().len(),
        sections_before.len()
    );
    assert!(
        sahifa::db::users::find_by_username(&mut app.conn(), "mallory")
            .unwrap()
            .is_none()
    );
    assert_eq!(
        app.get("/admin").await.status().as_u16(),
        200,
        "still signed in"
    );
}

#[tokio::test]
async fn posts_from_another_site_are_refused() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let token = app.session_csrf().await;
    let section = app.section_id("politics").to_string();
    let fields = [
        ("csrf_token", token.as_str()),
        ("title", "خبر من موقع آخر"),
        ("body", "نص"),
        ("section_id", &section),
        ("status", "published"),
    ];
    for (name, value) in [
        ("Origin", "https://evil.example"),
        ("Origin", "null"),
        ("Sec-Fetch-Site", "cross-site"),
    ] {
        let response = app
            .client
            .post(format!("{}/admin/articles", app.address))
            .header(name, value)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 403, "{name}: {value}");
    }
    // The same form from our own origin goes through.
    let response = app
        .client
        .post(format!("{}/admin/articles", app.address))
        .header("Origin", app.address.as_str())
        .header("Sec-Fetch-Site", "same-origin")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);

    // Login is protected too.
    let (_, form) = app.with_new_browser().get_html("/admin/login").await;
    let response = app
        .client
        .post(format!("{}/admin/login", app.address))
        .header("Origin", "https://evil.example")
        .form(&[
            ("csrf_token", csrf_token(&form).as_str()),
            ("username", ADMIN_USER),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn the_login_form_needs_its_token() {
    let app = spawn_app().await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    let response = app
        .post_form(
            "/admin/login",
            &[("username", ADMIN_USER), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn a_session_cookie_replayed_after_sign_out_is_refused() {
    let app = spawn_app().await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    let response = app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    let cookie = crate::common::session_cookie(&response);
    let session = cookie.split(';').next().unwrap().to_owned();
    let token = app.session_csrf().await;
    app.post_form("/admin/logout", &[("csrf_token", &token)])
        .await;

    let thief = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = thief
        .get(format!("{}/admin", app.address))
        .header("Cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303, "replayed cookie refused");
}

#[tokio::test]
async fn next_never_leads_off_the_admin() {
    let app = spawn_app().await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    for next in [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "/a/1",
    ] {
        let browser = app.with_new_browser();
        let (_, form) = browser
            .get_html(&format!("/admin/login?next={}", urlencode(next)))
            .await;
        assert!(!form.contains("evil.example"), "{next} not echoed");
        let response = browser
            .post_form(
                "/admin/login",
                &[
                    ("csrf_token", &csrf_token(&form)),
                    ("username", ADMIN_USER),
                    ("password", ADMIN_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(response.headers()["location"], "/admin", "{next}");
    }
    let browser = app.with_new_browser();
    let response = browser.get("/admin/sections").await;
    assert_eq!(
        response.headers()["location"],
        "/admin/login?next=%2Fadmin%2Fsections"
    );
    let (_, form) = browser
        .get_html("/admin/login?next=%2Fadmin%2Fsections")
        .await;
    let response = browser
        .post_form(
            "/admin/login",
            &[
                ("csrf_token", &csrf_token(&form)),
                ("username", ADMIN_USER),
                ("password", ADMIN_PASSWORD),
                ("next", "/admin/sections"),
            ],
        )
        .await;
    assert_eq!(
        response.headers()["location"],
        "/admin/sections",
        "a local next is honoured"
    );
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_owned()
}

#[tokio::test]
async fn the_sixth_failed_login_is_throttled() {
    let app = spawn_app().await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    for attempt in 1..=5 {
        let response = app.login(ADMIN_USER, "not the password").await;
        assert_eq!(response.status().as_u16(), 200, "attempt {attempt}");
    }
    let response = app.login(ADMIN_USER, ADMIN_PASSWORD).await;
    assert_eq!(
        response.status().as_u16(),
        429,
        "even the right password waits"
    );
    let retry_after: i64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    let html = response.text().await.unwrap();
    assert!(html.contains("محاولات كثيرة"));
}

#[tokio::test]
async fn an_editor_writes_but_cannot_delete_or_manage() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let id = app
        .create_article_via_form(&[("title", "خبر كتبه محرر")])
        .await;
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            &format!("/admin/articles/{id}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(
        app.get(&format!("/a/{id}")).await.status().as_u16(),
        200,
        "still there"
    );
    assert_eq!(
        app.get(&format!("/admin/articles/{id}/delete"))
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(app.get("/admin/sections").await.status().as_u16(), 403);
    assert_eq!(app.get("/admin/users").await.status().as_u16(), 403);
    let response = app
        .post_form(
            "/admin/sections",
            &[("csrf_token", &token), ("name", "قسم"), ("slug", "nope")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    let response = app
        .post_form(
            "/admin/users",
            &[
                ("csrf_token", &token),
                ("username", "x"),
                ("password", "a long enough password"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn hostile_markup_is_escaped_or_stripped_everywhere() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let title = r#"<script>alert(1)</script><img src=x onerror=alert(2)> عنوان"#;
    let summary =
        r#"<iframe src="https://evil.example"></iframe> ملخص <a href="javascript:alert(3)">x</a>"#;
    let body = "<script>alert(4)</script>\n\n<img src=x onerror=alert(5)>\n\n[رابط](javascript:alert(6))\n\n<iframe src=\"https://evil.example\"></iframe>\n\nنص سليم.";
    let id = app
        .create_article_via_form(&[
            ("title", title),
            ("summary", summary),
            ("body", body),
            ("author", "<b onmouseover=alert(7)>كاتب</b>"),
        ])
        .await;
    for path in [
        format!("/a/{id}"),
        "/".to_owned(),
        "/admin".to_owned(),
        format!("/admin/articles/{id}/edit"),
    ] {
        let (_, html) = app.get_html(&path).await;
        for bad in [
            "<script>alert",
            "<img src=x",
            "<iframe",
            "href=\"javascript:",
            "<b onmouseover",
        ] {
            assert!(!html.contains(bad), "{bad} on {path}");
        }
        // Escaped text may still read "onerror=alert"; inside a real tag it must never appear.
        // Real tags are what stands between raw < and >; their quoted values are text.
        for tag in html
            .split('<')
            .skip(1)
            .filter_map(|rest| rest.split('>').next())
        {
            let unquoted: String = tag.split('"').step_by(2).collect();
            assert!(
                !unquoted.contains("onerror") && !unquoted.contains("onmouseover"),
                "<{tag}> on {path}"
            );
        }
    }
    let (_, page) = app.get_html(&format!("/a/{id}")).await;
    assert!(page.contains("نص سليم."));
}

/// Someone failing as the admin from their address doesn't lock the admin out elsewhere;
/// behind a trusted proxy that address is the client's, and a forwarding header from
/// anyone else is ignored.
#[tokio::test]
async fn failures_from_one_address_do_not_lock_the_admin_out_of_another() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    settings.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let app = crate::common::spawn_app_with(settings, dir).await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    let login_from = |forwarded: &'static str, password: &'static str| {
        let browser = app.with_new_browser();
        async move {
            let (_, form) = browser.get_html("/admin/login").await;
            browser
                .client
                .post(format!("{}/admin/login", browser.address))
                .header("x-forwarded-for", forwarded)
                .form(&[
                    ("csrf_token", crate::common::csrf_token(&form).as_str()),
                    ("username", ADMIN_USER),
                    ("password", password),
                    ("next", ""),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    for _ in 0..5 {
        assert_eq!(login_from("203.0.113.7", "wrong password").await, 200);
    }
    assert_eq!(
        login_from("203.0.113.7", ADMIN_PASSWORD).await,
        429,
        "that client waits"
    );
    // The client may put anything first: the proxy's own hop is what counts.
    assert_eq!(
        login_from("198.51.100.1, 203.0.113.7", ADMIN_PASSWORD).await,
        429
    );
    assert_eq!(
        login_from("198.51.100.1", ADMIN_PASSWORD).await,
        303,
        "the admin elsewhere"
    );
    let log = sahifa::db::audit::newest(&mut app.conn(), None, None, 20, 0).unwrap();
    assert!(
        log.iter().any(|e| e.address == "203.0.113.7"),
        "the audit names the client"
    );

    // Without trusting the proxy, the header is the client's word: ignored.
    let plain = spawn_app().await;
    plain.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    for n in 0..5 {
        let browser = plain.with_new_browser();
        let (_, form) = browser.get_html("/admin/login").await;
        let status = browser
            .client
            .post(format!("{}/admin/login", browser.address))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .form(&[
                ("csrf_token", crate::common::csrf_token(&form).as_str()),
                ("username", ADMIN_USER),
                ("password", "wrong password"),
                ("next", ""),
            ])
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 200);
    }
    assert_eq!(
        plain
            .login(ADMIN_USER, ADMIN_PASSWORD)
            .await
            .status()
            .as_u16(),
        429
    );
}

/// `/metrics` answers this machine with Prometheus text, and nobody else (a client behind
/// a trusted proxy is not this machine).
#[tokio::test]
async fn metrics_are_for_this_machine_only() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    settings.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let app = crate::common::spawn_app_with(settings, dir).await;
    assert_eq!(app.get("/").await.status().as_u16(), 200);
    assert_eq!(app.get("/no/such/page").await.status().as_u16(), 404);
    let (status, text) = app.get_html("/metrics").await;
    assert_eq!(status, 200);
    assert!(
        text.contains(r#"sahifa_requests_total{route="/",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"sahifa_requests_total{route="-",status="404"} 1"#),
        "{text}"
    );
    assert!(
        text.contains("sahifa_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("sahifa_views_pending 0"), "{text}");
    // Every page above borrowed a connection; nobody had to give up waiting for one.
    assert!(
        metric_value(&text, "sahifa_pool_checkouts_total") > 0,
        "{text}"
    );
    assert_eq!(
        metric_value(&text, "sahifa_pool_timeouts_total"),
        0,
        "{text}"
    );
    for name in [
        "sahifa_pool_wait_seconds_total",
        r#"sahifa_pool_connections{state="idle"}"#,
        r#"sahifa_views_flushes_total{outcome="failed"}"#,
        "sahifa_views_flush_seconds_total",
        r#"sahifa_cache_hits_total{cache="article_pages"}"#,
        r#"sahifa_cache_misses_total{cache="picture_files"}"#,
    ] {
        assert!(text.contains(&format!("{name} ")), "{name} in {text}");
    }
    let from_outside = app
        .client
        .get(format!("{}/metrics", app.address))
        .header("x-forwarded-for", "203.0.113.7")
        .send()
        .await
        .unwrap();
    assert_eq!(from_outside.status().as_u16(), 404);
}

/// 5,000 requests with made-up parameters (long ones, all different) neither make new
/// cache entries nor grow the caches past their budgets, as `/metrics` reports them.
#[tokio::test]
async fn unknown_query_parameters_never_grow_the_caches() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    // The caches as a live site has them (tests usually turn the list cache off).
    settings.list_page_ttl = std::time::Duration::from_secs(60);
    settings.most_read_refresh = std::time::Duration::from_secs(60);
    let app = crate::common::spawn_app_with(settings, dir).await;
    let filler = "x".repeat(2_000);
    let (client, address) = (&app.client, app.address.as_str());
    let requests = (0..5_000).map(|n| {
        let path = match n % 3 {
            0 => format!("/?junk{n}={filler}"),
            1 => format!("/search?q=%D8%AF%D9%85%D8%B4%D9%82&junk{n}={filler}"),
            _ => format!("/section/politics?x={n}&{filler}={n}"),
        };
        async move {
            let status = client
                .get(format!("{address}{path}"))
                .send()
                .await
                .unwrap()
                .status();
            assert!(status.is_success(), "{path}: {status}");
        }
    });
    let mut requests = requests.peekable();
    while requests.peek().is_some() {
        let batch: Vec<_> = requests.by_ref().take(50).collect();
        futures_util::future::join_all(batch).await;
    }
    let (_, metrics) = app.get_html("/metrics").await;
    let bytes = |cache: &str| {
        metric_value(
            &metrics,
            &format!("sahifa_cache_bytes{{cache=\"{cache}\"}}"),
        )
    };
    // Three pages (home, one search, one section), whatever the junk: far under budget.
    for cache in ["list_pages", "search_pages"] {
        let held = bytes(cache);
        assert!(held > 0 && held < 200_000, "{cache}: {held} bytes");
        assert!(held <= sahifa::runtime::list_pages::BUDGET_BYTES);
    }
    // And the junk was answered from them: 1,667 home and 1,666 section requests, 1,667
    // searches, each a hit or a miss, the misses only while the first copy was made.
    let hits = |cache: &str| {
        metric_value(
            &metrics,
            &format!("sahifa_cache_hits_total{{cache=\"{cache}\"}}"),
        )
    };
    let misses = |cache: &str| {
        metric_value(
            &metrics,
            &format!("sahifa_cache_misses_total{{cache=\"{cache}\"}}"),
        )
    };
    for (cache, requests) in [("list_pages", 3_333), ("search_pages", 1_667)] {
        let (hits, misses) = (hits(cache), misses(cache));
        assert_eq!(hits + misses, requests, "{cache}");
        assert!(misses <= 100, "{cache}: {misses} misses");
    }
}

/// The number after `name ` in Prometheus text.
fn metric_value(metrics: &str, name: &str) -> usize {
    let marker = format!("{name} ");
    let at = metrics
        .find(&marker)
        .unwrap_or_else(|| panic!("{marker} in {metrics}"));
    metrics[at + marker.len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse::<f64>()
        .unwrap() as usize
}
