//! Author pages: every byline has one (`/author/{slug}`), with the author's articles, a
//! feed, and what the newsroom wrote about them; the article links its byline there.

use crate::common::spawn_app;

#[tokio::test]
async fn every_byline_has_a_page_a_feed_and_an_editable_profile() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let first = app
        .create_article_via_form(&[("title", "تقرير أول من حماة"), ("author", "ليلى الأحمد")])
        .await;
    let second = app
        .create_article_via_form(&[("title", "تقرير ثان من حماة"), ("author", "ليلى الاحمد")])
        .await;
    let other = app
        .create_article_via_form(&[("title", "خبر لكاتب آخر"), ("author", "سامر يوسف")])
        .await;

    // The byline links to the author's page; JSON-LD names it.
    let (_, html) = app.get_html(&format!("/a/{first}")).await;
    let href = "/author/%D9%84%D9%8A%D9%84%D9%8A-%D8%A7%D9%84%D8%A7%D8%AD%D9%85%D8%AF"; // ليلي-الاحمد
    assert!(html.contains(&format!(
        "<a href=\"{href}\" rel=\"author\"><bdi>ليلى الأحمد</bdi></a>"
    )));
    let json = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(json["author"]["url"], format!("{}{href}", app.address));

    // Both spellings are one author; the other author is not on the page.
    let (status, page) = app.get_html(href).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/a/{first}\"")));
    assert!(page.contains(&format!("href=\"/a/{second}\"")));
    assert!(!page.contains(&format!("href=\"/a/{other}\"")));
    assert_eq!(app.get("/author/ليلى الأحمد").await.status().as_u16(), 301);
    assert_eq!(app.get("/author/لا-احد").await.status().as_u16(), 404);
    let (status, feed) = app.get_html(&format!("{href}/feed.xml")).await;
    assert_eq!(status, 200);
    assert_eq!(
        roxmltree::Document::parse(&feed)
            .unwrap()
            .descendants()
            .filter(|n| n.has_tag_name("item"))
            .count(),
        2
    );

    // The newsroom writes a biography; a bad picture number gives the form back as typed.
    let (_, authors) = app.get_html("/admin/authors").await;
    assert!(authors.contains("ليلى الأحمد") && authors.contains("سامر يوسف"));
    let token = app.session_csrf().await;
    let action = href.replacen("/author/", "/admin/authors/", 1);
    let response = app
        .post_form(
            &action,
            &[
                ("csrf_token", &token),
                ("bio", "صحفية من حماة تكتب عن المدينة."),
                ("picture", "999"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("صحفية من حماة تكتب عن المدينة.")
    );
    let response = app
        .post_form(
            &action,
            &[
                ("csrf_token", &token),
                ("bio", "صحفية من حماة تكتب عن المدينة."),
                ("picture", ""),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, page) = app.get_html(href).await;
    assert!(page.contains("<p class=\"author-bio\">صحفية من حماة تكتب عن المدينة.</p>"));
    // Drafts stay off it.
    app.create_article_via_form(&[
        ("title", "مسودة الكاتبة"),
        ("author", "ليلى الأحمد"),
        ("status", "draft"),
    ])
    .await;
    assert!(!app.get_html(href).await.1.contains("مسودة الكاتبة"));
}

/// Which bylines an author's address stands for is kept for a few seconds, and dropped
/// with every newsroom change: a byline's first article gives it a page at once.
#[tokio::test]
async fn a_new_byline_has_its_page_at_once() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    app.create_article_via_form(&[("title", "خبر أول"), ("author", "سامر يوسف")])
        .await;
    let href = "/author/%D9%86%D8%AF%D9%8A-%D8%AD%D8%AF%D8%A7%D8%AF"; // ندي-حداد
    assert_eq!(app.get(href).await.status().as_u16(), 404);
    assert_eq!(
        app.get(&format!("{href}/feed.xml")).await.status().as_u16(),
        404
    );
    let id = app
        .create_article_via_form(&[("title", "تقرير من درعا"), ("author", "ندى حداد")])
        .await;
    let (status, page) = app.get_html(href).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"/a/{id}\"")));
    let (status, feed) = app.get_html(&format!("{href}/feed.xml")).await;
    assert_eq!(status, 200);
    assert!(feed.contains(&format!("/a/{id}")));
}
