//! The reader site: pages, their structure, and what must never happen.

use crate::common::{attribute, now, shown_views, spawn_app};

#[tokio::test]
async fn article_page_has_the_structure_of_a_news_article() {
    let app = spawn_app().await;
    let other = app.insert_article(
        "خبر آخر منشور قبل ساعة في القسم نفسه",
        "published",
        now() - 3600,
    );
    let id = app.insert_article("عنوان الخبر الرئيسي للاختبار", "published", now() - 60);

    let (status, html) = app.get_html(&format!("/a/{id}")).await;

    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="ar" dir="rtl""#), "{html}");
    assert!(html.contains(r#"<meta charset="utf-8">"#));
    assert!(html.contains("<h1>عنوان الخبر الرئيسي للاختبار</h1>"));
    assert_eq!(html.matches("<h1").count(), 1, "exactly one h1");
    let datetime = attribute(&html, "<time datetime", "datetime").expect("time element");
    assert!(
        chrono::DateTime::parse_from_rfc3339(datetime).is_ok(),
        "{datetime} is RFC 3339"
    );
    assert!(datetime.ends_with("+03:00"), "Damascus time: {datetime}");
    assert!(html.contains("حجم الخط"));
    assert!(html.contains("مشاهدة"));
    assert_eq!(shown_views(&html), 1, "the first visitor sees 1");
    assert!(
        html.contains(&format!("{}/a/{id}", app.address)),
        "absolute permalink shown"
    );
    assert!(html.contains("<p>الفقرة الثانية.</p>"), "body paragraphs");
    // "المزيد" links other articles, never the current one.
    let more_start = html.find("المزيد").expect("more list");
    let more_end = html[more_start..].find("</aside>").expect("end of more") + more_start;
    let more = &html[more_start..more_end];
    assert!(more.contains(&format!("/a/{other}")), "{more}");
    assert!(!more.contains(&format!("/a/{id}")), "{more}");
}

#[tokio::test]
async fn mixed_direction_text_is_isolated() {
    let app = spawn_app().await;
    let id = app.insert_article(
        "لقاء مع Ahmad عند الساعة 11:32 في دمشق",
        "published",
        now() - 60,
    );
    app.get(&format!("/a/{id}")).await;
    app.get(&format!("/a/{id}")).await;
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert!(
        html.contains("rel=\"author\"><bdi>محرر الاختبار</bdi></a>"),
        "author isolated"
    );
    assert!(html.contains("<bdi>3</bdi> مشاهدات"), "count isolated");
    assert!(
        html.contains(r#"dir="ltr" class="permalink-url""#),
        "permalink is LTR"
    );
}

#[tokio::test]
async fn date_is_shown_in_arabic_in_the_newsroom_zone() {
    let app = spawn_app().await;
    // 2017-01-06 09:32 UTC is Friday 11:32 in Damascus (UTC+2 that winter).
    let id = app.insert_article(
        "خبر بتاريخ معروف للتحقق من التنسيق",
        "published",
        1_483_695_120,
    );
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert!(
        html.contains(r#"<time datetime="2017-01-06T11:32:00+02:00">الجمعة 6 كانون الثاني 2017 - 11:32</time>"#),
        "{html}"
    );
}

#[tokio::test]
async fn home_page_shows_the_lead_and_the_latest_list_with_pages() {
    let app = spawn_app().await;
    for n in 0..25 {
        app.insert_article(
            &format!("خبر رقم {n} في قائمة الأخبار"),
            "published",
            now() - 10_000 + n,
        );
    }
    let (status, html) = app.get_html("/").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="ar" dir="rtl""#));
    let lead_start = html.find(r#"class="lead""#).expect("lead");
    assert!(
        html[lead_start..].contains("خبر رقم 24 في قائمة الأخبار"),
        "newest is the lead"
    );
    assert!(html.contains(r#"rel="next" href="/?page=2""#));
    assert!(!html.contains(r#"rel="prev""#));

    let (status, page2) = app.get_html("/?page=2").await;
    assert_eq!(status, 200);
    assert!(
        page2.contains("خبر رقم 0 في قائمة الأخبار"),
        "oldest on page 2"
    );
    assert!(page2.contains(r#"rel="prev" href="/""#));
    assert!(!page2.contains(r#"rel="next""#));
    assert!(
        !page2.contains(r#"class="lead""#),
        "lead only on the first page"
    );
}

#[tokio::test]
async fn unknown_pages_and_bad_ids_get_an_arabic_404() {
    let app = spawn_app().await;
    let draft = app.insert_article("مسودة لم تنشر بعد", "draft", now() - 60);
    let scheduled = app.insert_article("خبر مجدول للغد", "published", now() + 86_400);
    let paths = [
        "/a/abc".to_owned(),
        "/a/-1".to_owned(),
        "/a/0".to_owned(),
        "/a/123456789012345678901234567890".to_owned(),
        "/a/184471000889956".to_owned(),
        format!("/a/{draft}"),
        format!("/a/{scheduled}"),
        "/no/such/page".to_owned(),
        "/?page=abc".to_owned(),
        "/?page=0".to_owned(),
        "/?page=99999".to_owned(),
        "/?page=-3".to_owned(),
        "/static/nothing.css".to_owned(),
        "/a/".to_owned(),
    ];
    for path in paths {
        let response = app.get(&path).await;
        assert_eq!(response.status().as_u16(), 404, "{path}");
        assert_eq!(
            response.headers()["x-content-type-options"],
            "nosniff",
            "{path}"
        );
        let html = response.text().await.unwrap();
        assert!(
            html.contains(r#"<html lang="ar" dir="rtl""#),
            "{path}: {html}"
        );
        assert!(html.contains("الصفحة غير موجودة"), "{path}");
        assert!(
            html.contains("/section/politics"),
            "{path}: the site layout with its sections"
        );
    }
    assert_eq!(app.stored_views(draft), 0);
}

#[tokio::test]
async fn odd_query_strings_never_cause_a_server_error() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر لاختبار الاستعلامات الغريبة", "published", now() - 60);
    for path in [
        "/?page=%ZZ".to_owned(),
        "/?page=1&page=2".to_owned(),
        "/?%00=%00".to_owned(),
        format!("/a/{id}?x=%E0%A4%A"),
        "/font-size?step=%ZZ".to_owned(),
        "/a/%F0%9F%98%80".to_owned(),
        format!("/?page={}", "9".repeat(40)),
    ] {
        let status = app.get(&path).await.status().as_u16();
        assert!(status < 500, "{path} gave {status}");
    }
}

#[tokio::test]
async fn user_text_is_escaped() {
    let app = spawn_app().await;
    let id = app.insert_article(
        "<script>alert(1)</script> عنوان خبيث",
        "published",
        now() - 60,
    );
    for path in [format!("/a/{id}"), "/".to_owned()] {
        let (_, html) = app.get_html(&path).await;
        assert!(!html.contains("<script>alert(1)</script>"), "{path}");
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: shown escaped"
        );
    }
}

#[tokio::test]
async fn font_size_is_rendered_from_the_cookie_and_set_without_javascript() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر لاختبار حجم الخط المختار", "published", now() - 60);
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert!(html.contains(r#"class="fs-2""#), "default size");

    let response = app.get(&format!("/font-size?step=up&next=/a/{id}")).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], format!("/a/{id}").as_str());
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("font_size=3"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");

    // The client keeps cookies: every later page is rendered at the chosen size.
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert!(html.contains(r#"class="fs-3""#), "chosen size applied");
    let (_, home) = app.get_html("/").await;
    assert!(home.contains(r#"class="fs-3""#), "and on other pages");

    let response = app
        .get("/font-size?step=up&next=https://evil.example")
        .await;
    assert_eq!(response.headers()["location"], "/", "no open redirect");
}

#[tokio::test]
async fn static_files_are_versioned_and_cached_for_long() {
    let app = spawn_app().await;
    let (_, html) = app.get_html("/").await;
    let stylesheet = attribute(&html, r#"<link rel="stylesheet""#, "href").expect("stylesheet");
    assert!(
        stylesheet.starts_with("/static/style.css?v="),
        "{stylesheet}"
    );
    let response = app.get(stylesheet).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let font = app
        .get("/static/fonts/NotoNaskhArabic-Regular.woff2?v=1")
        .await;
    assert_eq!(font.status().as_u16(), 200);
    assert!(html.contains("/static/display.js?v="));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/nothing-here", "/healthz"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{csp}");
    }
}

#[tokio::test]
async fn health_check_answers_when_the_database_does() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn an_article_changed_after_it_appeared_says_when() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let fresh = app
        .create_article_via_form(&[("title", "خبر نُشر الآن")])
        .await;
    let (_, page) = app.get_html(&format!("/a/{fresh}")).await;
    assert!(
        !page.contains("آخر تحديث"),
        "just published: no update to tell"
    );

    // Published two hours ago, then corrected.
    let id = app.insert_article("خبر نُشر قبل ساعتين", "published", now() - 7200);
    let (_, page) = app.get_html(&format!("/a/{id}")).await;
    assert!(!page.contains("آخر تحديث"));
    let (_, edit) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (token, version) = crate::common::edit_fields(&edit);
    let section = app.section_id("politics").to_string();
    let published_at = attribute(&edit, "id=\"published_at\"", "value")
        .unwrap_or_default()
        .to_owned();
    let response = app
        .post_form(
            &format!("/admin/articles/{id}"),
            &[
                ("csrf_token", token.as_str()),
                ("version", version.as_str()),
                ("title", "خبر نُشر قبل ساعتين ثم صُحّح"),
                ("summary", ""),
                ("body", "النص بعد التصحيح."),
                ("section_id", section.as_str()),
                ("author", ""),
                ("status", "published"),
                ("published_at", published_at.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, page) = app.get_html(&format!("/a/{id}")).await;
    let updated = page
        .split("class=\"updated\"")
        .nth(1)
        .expect("the update is told");
    assert!(updated.contains("آخر تحديث: <time datetime=\""));
    let published = attribute(&page, "<time datetime", "datetime").expect("published time");
    let changed = attribute(updated, "<time", "datetime").expect("update time");
    assert!(changed > published, "{changed} after {published}");
}

/// The count agrees with its number as Arabic wants it: "مشاهدة واحدة", "مشاهدتان",
/// "3 مشاهدات", "11 مشاهدة", "103 مشاهدات"; `data-views` stays the plain number.
#[tokio::test]
async fn the_view_count_agrees_with_its_number() {
    use sahifa::core::ArticleId;
    use sahifa::db::views;
    let app = spawn_app().await;
    let shown = |html: &str| -> String {
        let start = html.find("class=\"views\"").expect("views");
        let inner = &html[start..];
        let inner = &inner[inner.find('>').unwrap() + 1..inner.find("</span>").unwrap()];
        inner.replace("<bdi>", "").replace("</bdi>", "")
    };
    let fresh = app.insert_article("خبر جديد لم يقرأه أحد", "published", now() - 60);
    for (views, words) in [(1, "مشاهدة واحدة"), (2, "مشاهدتان"), (3, "3 مشاهدات")]
    {
        let (status, html) = app.get_html(&format!("/a/{fresh}")).await;
        assert_eq!(status, 200);
        assert_eq!(shown_views(&html), views);
        assert_eq!(shown(&html), words);
    }
    for (before, words) in [(10, "11 مشاهدة"), (102, "103 مشاهدات"), (362, "363 مشاهدة")]
    {
        let id = app.insert_article("خبر قرأه كثيرون", "published", now() - 60);
        views::add_views(&mut app.conn(), &[(ArticleId::from_db(id), before)], 0).unwrap();
        let (_, html) = app.get_html(&format!("/a/{id}")).await;
        assert_eq!(shown_views(&html), before + 1);
        assert_eq!(shown(&html), words);
        // The same again from the page cache, one more: still agreeing.
        let (_, html) = app.get_html(&format!("/a/{id}")).await;
        assert_eq!(shown_views(&html), before + 2);
    }
}

/// Without JavaScript each font-size step reloads the article: those reloads are not new
/// readers. Two steps after one visit leave the count at one; the next real visit counts.
#[tokio::test]
async fn font_size_steps_without_javascript_do_not_count_views() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر يكبّر قارئه خطه مرتين", "published", now() - 60);
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(shown_views(&html), 1);
    for (step, class) in [("up", "fs-3"), ("up", "fs-4")] {
        let response = app
            .get(&format!("/font-size?step={step}&next=/a/{id}"))
            .await;
        assert_eq!(response.status().as_u16(), 303);
        // The browser follows the redirect with the cookies it was just given.
        let (_, html) = app.get_html(&format!("/a/{id}")).await;
        assert!(html.contains(&format!("class=\"{class}\"")), "{class}");
        assert_eq!(
            shown_views(&html),
            1,
            "the reload after {class} is not a visit"
        );
    }
    app.wait_until_flushed(id, 1).await;
    // The mark is used once: a later visit is a visit again.
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(shown_views(&html), 2);
    app.wait_until_flushed(id, 2).await;
    // The mark names its article: going back to another page after a step counts there.
    let other = app.insert_article("خبر آخر", "published", now() - 60);
    app.get(&format!("/font-size?step=down&next=/a/{id}")).await;
    let (_, html) = app.get_html(&format!("/a/{other}")).await;
    assert_eq!(shown_views(&html), 1);
}

/// The theme is rendered from its cookie; `/theme` sets it and goes back to the page that
/// linked there (this site's only), without counting a view when that is an article.
#[tokio::test]
async fn the_theme_is_chosen_without_javascript_and_rendered_by_the_server() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر يقرؤه قارئ في الليل", "published", now() - 60);
    let article = format!("{}/a/{id}", app.address);
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert!(html.contains(r#"<html lang="ar" dir="rtl" class="fs-2">"#));
    assert_eq!(shown_views(&html), 1);
    let response = app
        .client
        .get(format!("{}/theme?set=dark", app.address))
        .header("referer", &article)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], format!("/a/{id}").as_str());
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert!(html.contains(r#"class="fs-2 theme-dark""#));
    assert_eq!(
        shown_views(&html),
        1,
        "the reload after choosing is not a visit"
    );
    let (_, home) = app.get_html("/").await;
    assert!(home.contains(r#"class="fs-2 theme-dark""#), "every page");
    // Another site's page is never where /theme sends a reader; nonsense means "auto".
    let response = app
        .client
        .get(format!("{}/theme?set=purple", app.address))
        .header("referer", "https://evil.example/a/1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/");
    let (_, home) = app.get_html("/").await;
    assert!(home.contains(r#"class="fs-2">"#), "{}", &home[..200]);
}

/// An article says how long it takes to read, with agreement, and offers plain share links
/// (no script or picture of theirs is loaded) carrying its short permalink.
#[tokio::test]
async fn an_article_tells_its_reading_time_and_offers_share_links() {
    let app = spawn_app().await;
    let body = "كلمة ".repeat(900);
    let id = app.insert_article_with_body(
        "politics",
        "خبر طويل للقراءة",
        &body,
        "published",
        now() - 60,
    );
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert!(html.contains("مدة القراءة: 5 دقائق"), "900 words");
    let permalink = format!("{}/a/{id}", app.address);
    let encoded: String = url_escape(&permalink);
    for start in [
        "https://wa.me/?text=",
        "https://t.me/share/url?url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://x.com/intent/post?url=",
        "mailto:?subject=",
    ] {
        let at = html
            .find(&format!("href=\"{start}"))
            .unwrap_or_else(|| panic!("{start}"));
        let href = &html[at..at + html[at..].find("\" ").unwrap()];
        assert!(href.contains(&encoded), "{href}");
    }
    assert!(html.contains(r#"data-copy=""#));
    // The footer lists the sections and the feed.
    assert!(html.contains(r#"<li><a href="/feed.xml" type="application/rss+xml">"#));
    let short = app.insert_article("خبر قصير", "published", now() - 60);
    let (_, html) = app.get_html(&format!("/a/{short}")).await;
    assert!(html.contains("مدة القراءة: دقيقة واحدة"));
}

/// `https://x/y` as it appears in a query string.
fn url_escape(text: &str) -> String {
    text.replace(':', "%3A").replace('/', "%2F")
}

/// On a site nobody has read yet the column beside the home list shows the newest stories
/// rather than nothing; once there are views it is "الأكثر قراءة".
#[tokio::test]
async fn the_home_side_column_is_never_empty() {
    let app = spawn_app().await;
    for n in 0..4 {
        app.insert_article(&format!("خبر رقم {n}"), "published", now() - 600 + n);
    }
    let (_, home) = app.get_html("/").await;
    assert!(home.contains(r#"<h2 id="most-read-heading">الأحدث</h2>"#));
}

/// "من نحن" and "اتصل بنا": written by an admin in Markdown, shown at /about and /contact
/// and linked from every page's footer once written; 404 until then; editors can't.
#[tokio::test]
async fn admins_write_the_site_s_own_pages() {
    let app = spawn_app().await;
    assert_eq!(app.get("/about").await.status().as_u16(), 404);
    let (_, home) = app.get_html("/").await;
    assert!(!home.contains("href=\"/about\""));
    app.login_as_admin().await;
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            "/admin/pages/about",
            &[("csrf_token", &token), ("title", "من نحن"), ("body", "")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422, "an empty page is refused");
    let response = app
        .post_form(
            "/admin/pages/about",
            &[
                ("csrf_token", &token),
                ("title", "من نحن"),
                ("body", "صحيفة **مستقلة**.\n\n<script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (status, about) = app.get_html("/about").await;
    assert_eq!(status, 200);
    assert!(about.contains("<strong>مستقلة</strong>"));
    assert!(!about.contains("<script>alert"), "sanitised");
    let (_, home) = app.get_html("/").await;
    assert!(home.contains("<li><a href=\"/about\">من نحن</a></li>"));
    assert_eq!(app.get("/contact").await.status().as_u16(), 404);

    let editor = app.with_new_browser();
    editor.login_as_editor().await;
    assert_eq!(editor.get("/admin/pages").await.status().as_u16(), 403);
}
