//! Tags: typed in the article form (any spelling of a tag is that tag), shown on the
//! article and in its JSON-LD, each with a page, a feed and a place in the tags sitemap.

use crate::common::{TestApp, now, spawn_app};

fn tag_href(html: &str, name: &str) -> String {
    let marker = format!("\" rel=\"tag\">{name}</a>");
    let end = html.find(&marker).unwrap_or_else(|| panic!("tag {name}"));
    let start = html[..end].rfind("href=\"").unwrap() + 6;
    html[start..end].to_owned()
}

async fn tagged_article(app: &TestApp, title: &str, tags: &str) -> i64 {
    app.create_article_via_form(&[("title", title), ("tags", tags)])
        .await
}

#[tokio::test]
async fn tags_are_typed_once_in_any_spelling_and_get_pages_and_feeds() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let an_hour_ago =
        sahifa::core::article::format_local_datetime(now() - 3600, chrono_tz::Asia::Damascus);
    let first = app
        .create_article_via_form(&[
            ("title", "خبر أول عن حلب"),
            ("tags", "الأسد، حلب الشهباء"),
            ("published_at", &an_hour_ago),
        ])
        .await;
    let second = tagged_article(&app, "خبر ثان عن حلب", "حلب الشهباء, الاسد ,الاسد").await;
    let other = tagged_article(&app, "خبر بلا وسم مشترك", "دمشق").await;

    // The article shows its tags in the editor's order, linked to their pages.
    let (_, html) = app.get_html(&format!("/a/{first}")).await;
    let lion = tag_href(&html, "الأسد");
    assert_eq!(
        lion, "/tag/%D8%A7%D9%84%D8%A7%D8%B3%D8%AF",
        "الاسد, percent-encoded"
    );
    assert!(html.find("rel=\"tag\">الأسد").unwrap() < html.find("rel=\"tag\">حلب الشهباء").unwrap());
    // The second spelling is the same tag, shown as first typed.
    let (_, html) = app.get_html(&format!("/a/{second}")).await;
    assert_eq!(tag_href(&html, "الأسد"), lion);
    // JSON-LD names them as keywords.
    let json = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(json["keywords"], "حلب الشهباء, الأسد");

    // "أخبار ذات صلة": the other article sharing its tags, not the one that shares none.
    let related = html
        .split("id=\"related-heading\"")
        .nth(1)
        .expect("related");
    let related = related.split("</section>").next().unwrap();
    assert!(related.contains(&format!("href=\"/a/{first}\"")));
    assert!(!related.contains(&format!("href=\"/a/{other}\"")));
    let (_, alone) = app.get_html(&format!("/a/{other}")).await;
    assert!(!alone.contains("related-heading"), "nothing shares its tag");

    // The tag's page lists its articles, newest first, and only them.
    let (status, page) = app.get_html(&lion).await;
    assert_eq!(status, 200);
    assert!(page.contains("<h1 class=\"section-title\">وسم: الأسد</h1>"));
    let second_at = page.find(&format!("href=\"/a/{second}\"")).unwrap();
    let first_at = page.find(&format!("href=\"/a/{first}\"")).unwrap();
    assert!(second_at < first_at);
    assert!(!page.contains(&format!("href=\"/a/{other}\"")));
    // Another spelling is sent to the tag's one address.
    let response = app.get("/tag/الأسد?page=1").await;
    assert_eq!(response.status().as_u16(), 301);
    assert_eq!(
        response.headers()["location"],
        format!("{lion}?page=1").as_str()
    );
    assert_eq!(app.get("/tag/لا-يوجد").await.status().as_u16(), 404);
    assert_eq!(
        app.get(&format!("{lion}?page=2")).await.status().as_u16(),
        404
    );

    // Its feed, parsed.
    let response = app.get(&format!("{lion}/feed.xml")).await;
    assert_eq!(response.status().as_u16(), 200);
    let xml = response.text().await.unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .filter_map(|item| item.children().find(|c| c.has_tag_name("title")))
        .filter_map(|t| t.text())
        .collect();
    assert_eq!(titles, ["خبر ثان عن حلب", "خبر أول عن حلب"]);

    // The tags sitemap and robots.txt.
    let (_, sitemap) = app.get_html("/tags-sitemap.xml").await;
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(locs.len(), 3, "{locs:?}");
    assert!(locs.contains(&format!("{}{lion}", app.address).as_str()));
    assert!(
        app.get_html("/robots.txt")
            .await
            .1
            .contains("/tags-sitemap.xml")
    );

    // The edit form shows them, and suggests the tags in use.
    let (_, form) = app
        .get_html(&format!("/admin/articles/{second}/edit"))
        .await;
    assert!(
        form.contains("value=\"حلب الشهباء، الأسد\""),
        "as stored, first spelling"
    );
    assert!(form.contains("<datalist id=\"tag-suggestions\">"));
    assert!(form.contains("<option value=\"دمشق\"></option>"));
}

#[tokio::test]
async fn bad_tags_give_the_form_back_and_hidden_articles_stay_off_tag_pages() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let eleven: Vec<String> = (1..=11).map(|n| format!("وسم{n}")).collect();
    let response = app
        .submit_article(
            "/admin/articles",
            &[("title", "خبر بوسوم كثيرة"), ("tags", &eleven.join("، "))],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("عشرة وسوم على الأكثر"));
    assert!(html.contains("خبر بوسوم كثيرة"), "the title is kept");

    app.create_article_via_form(&[
        ("title", "مسودة موسومة"),
        ("tags", "سر"),
        ("status", "draft"),
    ])
    .await;
    assert_eq!(
        app.get("/tag/سر").await.status().as_u16(),
        404,
        "only a draft has it"
    );
    assert!(!app.get_html("/tags-sitemap.xml").await.1.contains("/tag/"));
}

/// A tag's page and an author's page go by pages of 20, each page linking the next.
#[tokio::test]
async fn tag_and_author_pages_go_by_pages_of_twenty() {
    use sahifa::core::ArticleId;
    use sahifa::core::tags::parse_tags;
    let app = spawn_app().await;
    let tags = parse_tags("حمص").unwrap();
    let mut ids = Vec::new();
    for n in 0..25 {
        let id = app.insert_article(
            &format!("خبر رقم {n} من حمص"),
            "published",
            now() - 1000 + n,
        );
        sahifa::db::tags::set_for_article(&mut app.conn(), ArticleId::from_db(id), &tags).unwrap();
        ids.push(id);
    }
    let byline = app.insert_article("خبر بلا وسم", "published", now() - 5000);
    let tag = "/tag/%D8%AD%D9%85%D8%B5";
    let author =
        "/author/%D9%85%D8%AD%D8%B1%D8%B1-%D8%A7%D9%84%D8%A7%D8%AE%D8%AA%D8%A8%D8%A7%D8%B1"; // محرر-الاختبار
    for (base, total) in [(tag, 25), (author, 26)] {
        let (status, first) = app.get_html(base).await;
        assert_eq!(status, 200, "{base}");
        assert!(
            first.contains(&format!("rel=\"next\" href=\"{base}?page=2\"")),
            "{base}"
        );
        let (status, second) = app.get_html(&format!("{base}?page=2")).await;
        assert_eq!(status, 200);
        let on_second = ids
            .iter()
            .chain([&byline])
            .filter(|id| second.contains(&format!("<h3><a href=\"/a/{id}\">")))
            .count();
        assert_eq!(on_second, total - 20, "{base}");
        assert!(!second.contains("rel=\"next\""));
        assert_eq!(
            app.get(&format!("{base}?page=3")).await.status().as_u16(),
            404
        );
    }
}

/// A tag's page follows its articles whatever changes them: published, unpublished or
/// brought forward by a hand edit of the database (the newsroom writes an article's tags
/// again on every save; this does not), an article joins or leaves the page at once, on
/// page 1 and deep in the list alike.
#[tokio::test]
async fn tag_pages_follow_articles_changed_behind_the_newsrooms_back() {
    use diesel::RunQueryDsl;
    use sahifa::core::ArticleId;
    use sahifa::core::tags::parse_tags;
    use sahifa::db::tags::set_for_article;

    let app = spawn_app().await;
    let tags = parse_tags("تدمر").unwrap();
    let tag_it = |id: i64| set_for_article(&mut app.conn(), ArticleId::from_db(id), &tags).unwrap();
    // 30 older articles put the three on page 1 and push the oldest onto page 2.
    let mut older = Vec::new();
    for n in 0..30 {
        let id = app.insert_article(
            &format!("خبر قديم {n} من تدمر"),
            "published",
            now() - 10_000 - n,
        );
        tag_it(id);
        older.push(id);
    }
    let shown = app.insert_article("خبر منشور من تدمر", "published", now() - 100);
    let draft = app.insert_article("مسودة من تدمر", "draft", now() - 200);
    let later = app.insert_article("خبر مجدول من تدمر", "published", now() + 86_400);
    for id in [shown, draft, later] {
        tag_it(id);
    }
    let listed = async |page: i64| {
        let (status, html) = app.get_html(&format!("/tag/تدمر?page={page}")).await;
        assert_eq!(status, 200, "page {page}");
        crate::discovery::linked_ids(&html, "<main", "</main>")
    };
    let mut want = vec![shown];
    want.extend(&older[..19]);
    assert_eq!(listed(1).await, want);

    let edit = |sql: String| {
        diesel::sql_query(sql).execute(&mut app.conn()).unwrap();
    };
    edit(format!(
        "UPDATE articles SET status = 'draft' WHERE id = {shown}"
    ));
    edit(format!(
        "UPDATE articles SET status = 'published' WHERE id = {draft}"
    ));
    edit(format!(
        "UPDATE articles SET published_at = {} WHERE id = {later}",
        now() - 50
    ));
    let mut want = vec![later, draft];
    want.extend(&older[..18]);
    assert_eq!(listed(1).await, want);
    assert_eq!(listed(2).await, older[18..].to_vec());

    // The oldest article brought to the top moves from page 2 to page 1.
    edit(format!(
        "UPDATE articles SET published_at = {} WHERE id = {}",
        now() - 10,
        older[29]
    ));
    assert_eq!(listed(1).await[0], older[29]);
    assert_eq!(listed(2).await, older[17..29].to_vec());
}

/// The related articles of one article, in order.
async fn related_ids(app: &TestApp, id: i64) -> Vec<i64> {
    let (status, html) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(status, 200);
    match html.split("id=\"related-heading\"").nth(1) {
        Some(related) => {
            let related = related.split("</section>").next().unwrap();
            crate::discovery::linked_ids(related, "", "</section>")
        }
        None => Vec::new(),
    }
}

/// "أخبار ذات صلة" is weighed from each tag's newest articles, kept for a few seconds
/// for every article of the tag: an article sharing two tags leads though it lies deeper
/// in a tag than the few kept ready to show, and a story published in the newsroom shows
/// at once, not when the kept tags expire.
#[tokio::test]
async fn related_articles_rank_shared_tags_first_and_follow_the_newsroom_at_once() {
    use sahifa::core::ArticleId;
    use sahifa::core::tags::parse_tags;
    use sahifa::db::tags::set_for_article;

    let app = spawn_app().await;
    let tag = |id: i64, tags: &str| {
        let tags = parse_tags(tags).unwrap();
        set_for_article(&mut app.conn(), ArticleId::from_db(id), &tags).unwrap();
    };
    let read = app.insert_article("خبر عن حلب والمطر", "published", now() - 10_000);
    tag(read, "حلب، مطر");
    let both = app.insert_article("خبر قديم عن حلب والمطر", "published", now() - 9_000);
    tag(both, "حلب، مطر");
    let mut newer = Vec::new();
    for n in 0..8 {
        let id = app.insert_article(&format!("خبر {n} عن حلب"), "published", now() - 5_000 + n);
        tag(id, "حلب");
        newer.push(id);
    }
    let mut rain = Vec::new();
    for n in 0..6 {
        let id = app.insert_article(&format!("خبر {n} عن المطر"), "published", now() - 100 + n);
        tag(id, "مطر");
        rain.push(id);
    }
    // `both` shares two tags (and is the 9th and 7th newest of them); then the newest of
    // those sharing one.
    let want = [both, rain[5], rain[4], rain[3]];
    assert_eq!(related_ids(&app, read).await, want);
    // Another article of the tag, read while the tag's newest are kept.
    let (_, page) = app.get_html(&format!("/a/{}", newer[0])).await;
    assert!(page.contains(&format!("href=\"/a/{}\"", newer[7])));

    app.login_as_editor().await;
    let fresh = app
        .create_article_via_form(&[("title", "خبر جديد عن المطر في حلب"), ("tags", "حلب، مطر")])
        .await;
    assert_eq!(
        related_ids(&app, read).await,
        [fresh, both, rain[5], rain[4]]
    );
}
