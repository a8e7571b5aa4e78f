//! Finding the news: section pages, "most read", feeds, sitemaps, robots.txt and share
//! cards, and drafts or scheduled articles never showing up in any of them.

use std::sync::Arc;
use std::time::Duration;

use sahifa::core::ArticleId;
use sahifa::core::time::day_number;
use sahifa::db::views::add_views;

use crate::common::{
    TestApp, attribute, now, shown_views, spawn_app, spawn_app_with, test_settings,
};
use crate::search::{publish, search_ids};

const POLITICS: &str = "سياسة";

/// Ids of the articles linked from `html[from..]` up to `until`.
pub fn linked_ids(html: &str, from: &str, until: &str) -> Vec<i64> {
    let Some(start) = html.find(from) else {
        return Vec::new();
    };
    let part = &html[start..];
    let part = &part[..part.find(until).unwrap_or(part.len())];
    part.split("href=\"/a/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

fn most_read_ids(html: &str) -> Vec<i64> {
    linked_ids(html, r#"id="most-read-heading""#, "</section>")
}

fn parse_xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML ({e}): {text}"))
}

/// The text of the first child `name` of `node`.
fn child_text<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.tag_name().name() == name)
        .and_then(|c| c.text())
}

async fn get_xml(app: &TestApp, path: &str, content_type: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    assert_eq!(response.headers()["content-type"], content_type, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn section_page_lists_its_own_articles_newest_first_with_pages() {
    let app = spawn_app().await;
    let mut politics = Vec::new();
    for n in 0..25 {
        politics.push(app.insert_article_in(
            "politics",
            &format!("خبر سياسي رقم {n}"),
            "published",
            now() - 10_000 + n,
        ));
    }
    let economy = app.insert_article_in("economy", "خبر اقتصادي", "published", now() - 5);

    let (status, html) = app.get_html("/section/politics").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!(r#"<h1 class="section-title">{POLITICS}</h1>"#)),
        "{html}"
    );
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains(&format!(
        r#"<a href="/section/politics" aria-current="page">{POLITICS}</a>"#
    )));
    assert!(html.contains(&format!("<title>{POLITICS} — صحيفة</title>")));
    assert!(html.contains(r#"<link rel="canonical" href="http://127.0.0.1:"#));
    assert!(
        html.contains("/section/politics/feed.xml"),
        "section feed advertised"
    );
    let shown = linked_ids(&html, r#"<main"#, "</main>");
    assert_eq!(shown[0], politics[24], "newest leads");
    assert!(!shown.contains(&economy), "other sections are not listed");
    assert_eq!(shown.len(), 21, "the lead and a page of 20");
    assert!(html.contains(r#"rel="next" href="/section/politics?page=2""#));

    let (status, page2) = app.get_html("/section/politics?page=2").await;
    assert_eq!(status, 200);
    assert_eq!(
        linked_ids(&page2, "<main", "</main>"),
        [politics[3], politics[2], politics[1], politics[0]]
    );
    assert!(page2.contains(r#"rel="prev" href="/section/politics""#));
    assert!(!page2.contains(r#"rel="next""#));

    for path in [
        "/section/politics?page=3",
        "/section/politics?page=0",
        "/section/no-such-section",
        "/section/",
        "/section/no-such-section/feed.xml",
    ] {
        let (status, html) = app.get_html(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("الصفحة غير موجودة"), "{path}");
    }
}

#[tokio::test]
async fn most_read_counts_the_views_of_the_last_seven_days() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.most_read_refresh = Duration::ZERO;
    let app = spawn_app_with(settings, dir).await;
    let a = app.insert_article("الخبر أ", "published", now() - 5000);
    let b = app.insert_article("الخبر ب", "published", now() - 4000);
    let c = app.insert_article("الخبر ج", "published", now() - 3000);
    let edge = app.insert_article("خبر قرئ قبل ستة أيام", "published", now() - 900_000);
    let stale = app.insert_article("خبر قرئ قبل سبعة أيام", "published", now() - 900_000);
    let draft = app.insert_article("مسودة", "draft", now() - 60);
    let scheduled = app.insert_article("خبر مجدول", "published", now() + 86_400);

    // Views through HTTP, written by the background flush.
    for (id, visits) in [(b, 3), (c, 2), (a, 1)] {
        for _ in 0..visits {
            assert_eq!(app.get(&format!("/a/{id}")).await.status().as_u16(), 200);
        }
        app.wait_until_flushed(id, visits).await;
    }
    // Older days, written as past flushes would have written them.
    let today = day_number(now());
    for (id, day, views) in [
        (a, today - 10, 100),
        (stale, today - 7, 100),
        (edge, today - 6, 4),
        (draft, today, 50),
        (scheduled, today, 50),
    ] {
        add_views(&mut app.conn(), &[(ArticleId::from_db(id), views)], day).unwrap();
    }

    let (_, home) = app.get_html("/").await;
    assert!(home.contains("الأكثر قراءة"));
    assert_eq!(most_read_ids(&home), [edge, b, c, a]);

    let (_, page) = app.get_html(&format!("/a/{c}")).await;
    assert_eq!(
        most_read_ids(&page),
        [edge, b, a],
        "beside an article, without it"
    );
}

#[tokio::test]
async fn most_read_is_computed_at_most_once_per_interval() {
    let app = spawn_app().await; // the default interval: a few seconds
    let a = app.insert_article("خبر يقرؤه الجميع", "published", now() - 60);
    let (_, before) = app.get_html("/").await;
    assert!(most_read_ids(&before).is_empty());
    app.get(&format!("/a/{a}")).await;
    app.wait_until_flushed(a, 1).await;
    let (_, after) = app.get_html("/").await;
    assert!(
        most_read_ids(&after).is_empty(),
        "the list computed a moment ago is reused"
    );
}

#[tokio::test]
async fn drafts_and_scheduled_articles_appear_nowhere() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.most_read_refresh = Duration::ZERO;
    let app = spawn_app_with(settings, dir).await;
    let published = publish(
        &app,
        "politics",
        "قمة الزيتون منشورة",
        "نص",
        "published",
        now() - 60,
    );
    let draft = publish(
        &app,
        "politics",
        "قمة الزيتون مسودة",
        "نص",
        "draft",
        now() - 60,
    );
    let scheduled = publish(
        &app,
        "politics",
        "قمة الزيتون مجدولة",
        "نص",
        "published",
        now() + 3600,
    );
    let today = day_number(now());
    for id in [published, draft, scheduled] {
        add_views(&mut app.conn(), &[(ArticleId::from_db(id), 10)], today).unwrap();
    }

    for path in [
        "/",
        "/section/politics",
        "/feed.xml",
        "/section/politics/feed.xml",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/search?q=%D8%A7%D9%84%D8%B2%D9%8A%D8%AA%D9%88%D9%86",
    ] {
        let (status, body) = app.get_html(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            body.contains(&published.to_string()),
            "{path} lists the article"
        );
        for hidden in [draft, scheduled] {
            assert!(!body.contains(&hidden.to_string()), "{path} shows {hidden}");
        }
    }
    let (_, home) = app.get_html("/").await;
    assert_eq!(most_read_ids(&home), [published]);
    assert_eq!(search_ids(&app, "قمة").await, [published]);
}

#[tokio::test]
async fn feeds_are_rss_2_of_the_latest_articles() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for n in 0..32 {
        ids.push(app.insert_article_in(
            if n % 2 == 0 { "politics" } else { "economy" },
            &format!("خبر رقم {n} <عاجل> & مهم"),
            "published",
            1_700_000_000 + n * 60,
        ));
    }
    let xml = get_xml(&app, "/feed.xml", "application/rss+xml; charset=utf-8").await;
    let doc = parse_xml(&xml);
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = rss.children().find(|n| n.has_tag_name("channel")).unwrap();
    assert_eq!(child_text(channel, "language"), Some("ar"));
    assert_eq!(child_text(channel, "title"), Some("صحيفة"));
    assert_eq!(
        child_text(channel, "link").unwrap(),
        format!("{}/", app.address)
    );
    let items: Vec<_> = channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    assert_eq!(items.len(), 30, "the latest 30");
    let newest = items[0];
    let permalink = format!("{}/a/{}", app.address, ids[31]);
    assert_eq!(child_text(newest, "title"), Some("خبر رقم 31 <عاجل> & مهم"));
    assert_eq!(child_text(newest, "link"), Some(permalink.as_str()));
    let guid = newest.children().find(|n| n.has_tag_name("guid")).unwrap();
    assert_eq!(guid.text(), Some(permalink.as_str()));
    assert_eq!(guid.attribute("isPermaLink"), Some("true"));
    let published = chrono::DateTime::parse_from_rfc2822(child_text(newest, "pubDate").unwrap())
        .expect("RFC 822 date");
    assert_eq!(published.timestamp(), 1_700_000_000 + 31 * 60);
    assert_eq!(child_text(newest, "description"), Some("ملخص قصير للخبر."));
    assert_eq!(child_text(newest, "category"), Some("اقتصاد"));
    assert_eq!(
        child_text(items[29], "link").unwrap(),
        format!("{}/a/{}", app.address, ids[2])
    );

    let xml = get_xml(
        &app,
        "/section/politics/feed.xml",
        "application/rss+xml; charset=utf-8",
    )
    .await;
    let doc = parse_xml(&xml);
    let links: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|item| child_text(item, "link").unwrap().to_owned())
        .collect();
    assert_eq!(links.len(), 16);
    let politics: Vec<String> = ids
        .iter()
        .enumerate()
        .rev()
        .filter(|(n, _)| n % 2 == 0)
        .map(|(_, id)| format!("{}/a/{id}", app.address))
        .collect();
    assert_eq!(links, politics, "only the section's articles, newest first");

    // Every page tells feed readers where the feed is.
    let (_, home) = app.get_html("/").await;
    let feed = attribute(
        &home,
        r#"<link rel="alternate" type="application/rss+xml""#,
        "href",
    );
    assert_eq!(feed, Some(format!("{}/feed.xml", app.address).as_str()));
}

/// The `<loc>`s of the `element`s of an XML document.
fn xml_locs(xml: &str, element: &str) -> Vec<String> {
    parse_xml(xml)
        .descendants()
        .filter(|n| n.has_tag_name(element))
        .filter_map(|n| child_text(n, "loc").map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_big_sitemap_is_an_index_of_parts_that_list_every_url_once_in_order() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.sitemap_max_urls = 7;
    // Parts are read and sent 3 articles at a time: the batches meet inside a part.
    settings.sitemap_batch = 3;
    let app = spawn_app_with(settings, dir).await;
    let mut articles = Vec::new();
    for n in 0..23 {
        let at = now() - 10_000 + (n / 2) * 60;
        articles.push((
            at,
            app.insert_article_in("economy", &format!("خبر {n}"), "published", at),
        ));
    }
    app.insert_article_in("economy", "مسودة", "draft", now() - 60);
    app.insert_article_in("economy", "مجدول", "published", now() + 3_600);
    articles.sort_by(|a, b| b.cmp(a));
    let base = &app.address;

    let index = get_xml(&app, "/sitemap.xml", "application/xml; charset=utf-8").await;
    assert_eq!(
        parse_xml(&index).root_element().tag_name().name(),
        "sitemapindex"
    );
    // The home page, 4 sections and 23 articles: 28 URLs, in parts of 7.
    let parts = xml_locs(&index, "sitemap");
    assert_eq!(parts.len(), 4);
    let mut listed = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        assert_eq!(part, &format!("{base}/sitemap-{}.xml", n + 1));
        let path = part.trim_start_matches(base.as_str());
        let urls = xml_locs(
            &get_xml(&app, path, "application/xml; charset=utf-8").await,
            "url",
        );
        assert!(urls.len() <= 7, "{path}");
        listed.extend(urls);
    }
    let mut expected = vec![format!("{base}/")];
    for slug in ["politics", "economy", "society", "culture"] {
        expected.push(format!("{base}/section/{slug}"));
    }
    expected.extend(articles.iter().map(|(_, id)| format!("{base}/a/{id}")));
    assert_eq!(listed, expected);
    assert_eq!(app.get("/sitemap-5.xml").await.status().as_u16(), 404);
    assert_eq!(app.get("/sitemap-0.xml").await.status().as_u16(), 404);
}

#[tokio::test]
async fn sitemaps_list_every_visible_article_and_section() {
    let app = spawn_app().await;
    let recent = app.insert_article_in("culture", "خبر اليوم", "published", now() - 3600);
    let old = app.insert_article_in("politics", "خبر قديم", "published", now() - 5 * 86_400);

    let xml = get_xml(&app, "/sitemap.xml", "application/xml; charset=utf-8").await;
    let doc = parse_xml(&xml);
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    let urls: Vec<(String, Option<String>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|u| {
            (
                child_text(u, "loc").unwrap().to_owned(),
                child_text(u, "lastmod").map(str::to_owned),
            )
        })
        .collect();
    let locs: Vec<&str> = urls.iter().map(|(loc, _)| loc.as_str()).collect();
    let base = &app.address;
    for expected in [
        format!("{base}/"),
        format!("{base}/section/politics"),
        format!("{base}/section/economy"),
        format!("{base}/a/{recent}"),
        format!("{base}/a/{old}"),
    ] {
        assert!(locs.contains(&expected.as_str()), "{expected} in {locs:?}");
    }
    let (_, lastmod) = urls
        .iter()
        .find(|(loc, _)| loc.ends_with(&format!("/a/{old}")))
        .unwrap();
    let lastmod = chrono::DateTime::parse_from_rfc3339(lastmod.as_deref().unwrap()).unwrap();
    assert!((lastmod.timestamp() - (now() - 5 * 86_400)).abs() < 60);
    assert_eq!(
        app.get("/sitemap-1.xml").await.status().as_u16(),
        404,
        "not split"
    );

    let xml = get_xml(&app, "/news-sitemap.xml", "application/xml; charset=utf-8").await;
    let doc = parse_xml(&xml);
    let news_ns = "http://www.google.com/schemas/sitemap-news/0.9";
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    assert_eq!(entries.len(), 1, "only the last two days");
    let entry = entries[0];
    assert_eq!(
        child_text(entry, "loc").unwrap(),
        format!("{base}/a/{recent}")
    );
    let news = entry
        .descendants()
        .find(|n| n.has_tag_name((news_ns, "news")))
        .expect("news:news");
    let language = news
        .descendants()
        .find(|n| n.has_tag_name((news_ns, "language")))
        .and_then(|n| n.text());
    assert_eq!(language, Some("ar"));
    let title = news
        .descendants()
        .find(|n| n.has_tag_name((news_ns, "title")))
        .and_then(|n| n.text());
    assert_eq!(title, Some("خبر اليوم"));
    let date = news
        .descendants()
        .find(|n| n.has_tag_name((news_ns, "publication_date")))
        .and_then(|n| n.text())
        .unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(date).is_ok(), "{date}");

    let response = app.get("/robots.txt").await;
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    let robots = response.text().await.unwrap();
    assert!(robots.contains("Disallow: /admin"));
    assert!(robots.contains(&format!("Sitemap: {base}/sitemap.xml")));
    assert!(robots.contains(&format!("Sitemap: {base}/news-sitemap.xml")));
}

/// The JSON-LD block of a page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD")
        + r#"<script type="application/ld+json">"#.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

fn meta<'a>(html: &'a str, key: &str, name: &str) -> Option<&'a str> {
    attribute(html, &format!(r#"<meta {key}="{name}""#), "content")
}

#[tokio::test]
async fn article_pages_carry_share_cards_and_news_article_data() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.base_url = Some("https://news.example".to_owned());
    let app = spawn_app_with(settings, dir).await;
    let published_at = now() - 60;
    let id = app.insert_article(
        "عنوان </script><script>alert(1)</script> الخبر",
        "published",
        published_at,
    );
    let permalink = format!("https://news.example/a/{id}");

    app.get(&format!("/a/{id}")).await;
    app.get(&format!("/a/{id}")).await;
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(shown_views(&html), 3);

    assert!(
        html.contains("<title>عنوان &#60;/script&#62;")
            || html.contains("<title>عنوان &lt;/script&gt;")
    );
    assert!(html.contains(" الخبر — صحيفة</title>"));
    assert_eq!(meta(&html, "name", "description"), Some("ملخص قصير للخبر."));
    assert_eq!(
        attribute(&html, r#"<link rel="canonical""#, "href"),
        Some(permalink.as_str())
    );
    assert_eq!(meta(&html, "property", "og:type"), Some("article"));
    assert_eq!(meta(&html, "property", "og:url"), Some(permalink.as_str()));
    assert_eq!(meta(&html, "property", "og:locale"), Some("ar_AR"));
    assert_eq!(meta(&html, "property", "og:site_name"), Some("صحيفة"));
    assert_eq!(
        meta(&html, "property", "og:description"),
        Some("ملخص قصير للخبر.")
    );
    assert!(
        meta(&html, "property", "og:title")
            .unwrap()
            .ends_with(" الخبر")
    );
    assert_eq!(meta(&html, "property", "article:section"), Some(POLITICS));
    for property in ["article:published_time", "article:modified_time"] {
        let time = meta(&html, "property", property).unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(time).is_ok(),
            "{property}"
        );
    }
    assert_eq!(meta(&html, "name", "twitter:card"), Some("summary"));
    assert!(meta(&html, "name", "twitter:title").is_some());
    assert_eq!(
        attribute(
            &html,
            r#"<link rel="alternate" type="application/rss+xml""#,
            "href"
        ),
        Some("https://news.example/feed.xml")
    );

    assert_eq!(
        html.matches("</script>").count(),
        2,
        "the title cannot close a script"
    );
    let data = json_ld(&html);
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(
        data["headline"],
        "عنوان </script><script>alert(1)</script> الخبر"
    );
    assert_eq!(data["inLanguage"], "ar");
    assert_eq!(data["articleSection"], POLITICS);
    assert_eq!(data["author"]["name"], "محرر الاختبار");
    assert_eq!(data["publisher"]["name"], "صحيفة");
    // A raster logo of the size it says (Google takes no SVG), served.
    let logo = &data["publisher"]["logo"];
    let (logo_width, logo_height) = (logo["width"].as_u64(), logo["height"].as_u64());
    let logo_path = logo["url"]
        .as_str()
        .and_then(|url| url.strip_prefix("https://news.example"))
        .expect("the logo on the site");
    assert!(logo_path.starts_with("/static/logo.png?v="), "{logo_path}");
    let response = app.get(logo_path).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    let png = image::load_from_memory_with_format(
        &response.bytes().await.unwrap(),
        image::ImageFormat::Png,
    )
    .expect("a PNG");
    assert_eq!(
        (Some(u64::from(png.width())), Some(u64::from(png.height()))),
        (logo_width, logo_height)
    );
    assert_eq!(data["mainEntityOfPage"]["@id"], permalink.as_str());
    let published = data["datePublished"].as_str().unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(published)
            .unwrap()
            .timestamp(),
        published_at,
        "{published}"
    );
    assert!(data["dateModified"].is_string());
    let counter = &data["interactionStatistic"];
    assert_eq!(counter["@type"], "InteractionCounter");
    assert_eq!(counter["interactionType"], "https://schema.org/ReadAction");
    assert_eq!(
        counter["userInteractionCount"], 3,
        "the count the page shows"
    );
}

#[tokio::test]
async fn home_and_section_pages_have_their_own_title_description_and_canonical() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.base_url = Some("https://news.example".to_owned());
    let app = spawn_app_with(settings, dir).await;
    app.insert_article("خبر منشور", "published", now() - 60);

    let (_, home) = app.get_html("/").await;
    assert!(home.contains("<title>صحيفة</title>"));
    assert!(meta(&home, "name", "description").is_some_and(|d| !d.is_empty()));
    assert_eq!(
        attribute(&home, r#"<link rel="canonical""#, "href"),
        Some("https://news.example/")
    );
    assert_eq!(meta(&home, "property", "og:type"), Some("website"));

    let (_, section) = app.get_html("/section/economy").await;
    assert!(section.contains("<title>اقتصاد — صحيفة</title>"));
    assert!(
        meta(&section, "name", "description")
            .unwrap()
            .contains("اقتصاد")
    );
    assert_eq!(
        attribute(&section, r#"<link rel="canonical""#, "href"),
        Some("https://news.example/section/economy")
    );
    assert!(
        !section.contains(r#"<script type="application/ld+json">"#),
        "NewsArticle data is for articles only"
    );
}

#[tokio::test]
async fn every_page_has_the_search_box() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر", "published", now() - 60);
    for path in [
        "/".to_owned(),
        format!("/a/{id}"),
        "/section/culture".to_owned(),
        "/search?q=x".to_owned(),
        "/nothing-here".to_owned(),
    ] {
        let (_, html) = app.get_html(&path).await;
        assert!(
            html.contains(r#"<form class="search" role="search" action="/search" method="get">"#),
            "{path}"
        );
        assert!(html.contains(r#"name="q""#), "{path}");
    }
}

/// A summary typed as markup reaches feed readers as the text it is, never as markup:
/// parsed with feedparser, what most Python feed readers and aggregators use.
#[tokio::test]
async fn feed_summaries_are_text_in_feed_readers() {
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    use sahifa::db::schema::articles;
    let app = spawn_app().await;
    let id = app.insert_article_in("politics", "خبر بملخص غريب", "published", 1_700_000_000);
    let typed = "\"><img src=x onerror=alert(1)> <b>عاجل</b> & 3 < 5";
    diesel::update(articles::table.find(id))
        .set(articles::summary.eq(typed))
        .execute(&mut app.conn())
        .unwrap();
    let xml = get_xml(&app, "/feed.xml", "application/rss+xml; charset=utf-8").await;
    let script = "import sys, json, html, feedparser\n\
                  feed = feedparser.parse(sys.stdin.read())\n\
                  entry = feed.entries[0]\n\
                  print(json.dumps({'summary': entry.summary, \
                  'text': html.unescape(entry.summary), 'type': entry.summary_detail.type}))";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), xml.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    if !output.status.success()
        && String::from_utf8_lossy(&output.stderr).contains("No module named 'feedparser'")
    {
        assert!(std::env::var("CI").is_err(), "CI must have feedparser");
        eprintln!("skipped: feedparser is not installed (pip install feedparser)");
        return;
    }
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let summary = parsed["summary"].as_str().unwrap();
    assert!(
        !summary.contains("<img") && !summary.contains("<b>"),
        "{summary}"
    );
    assert_eq!(parsed["text"], typed);
}
