//! gzip responses: the article page assembled from pieces compressed once, other pages
//! compressed per response, static files compressed once, fonts never; and the rendered
//! article page is dropped when an editor saves.

use std::io::Read;

use std::sync::Arc;

use crate::common::{
    TestApp, edit_fields, now, shown_views, spawn_app, spawn_app_with, test_settings,
};

const GZIP: &str = "gzip, br";

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut decoded)
        .expect("a valid gzip stream");
    decoded
}

/// Status, headers and the body exactly as sent (reqwest decodes nothing: no gzip feature).
async fn fetch(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.bytes().await.expect("body").to_vec(),
    )
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .map_or("", |v| v.to_str().expect("ASCII header"))
}

/// The page with its view count as another visitor would have seen it.
fn with_views(html: &str, from: i64, to: i64) -> String {
    use sahifa::core::arabic::{dates::Digits, plural};
    let shown = |n| plural::Counted::new(n, &plural::VIEWS, Digits::Western).html();
    html.replace(
        &format!("data-views=\"{from}\">{}", shown(from)),
        &format!("data-views=\"{to}\">{}", shown(to)),
    )
    .replace(
        &format!("\"userInteractionCount\":{from}"),
        &format!("\"userInteractionCount\":{to}"),
    )
}

#[tokio::test]
async fn the_gzip_article_is_the_identity_article_with_the_next_count() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر يُرسل مضغوطًا وغير مضغوط", "published", now() - 60);
    let path = format!("/a/{id}");

    let (status, plain_headers, plain) = fetch(&app, &path, &[]).await;
    assert_eq!(status, 200);
    assert_eq!(header(&plain_headers, "content-encoding"), "");
    let plain = String::from_utf8(plain).unwrap();
    assert_eq!(shown_views(&plain), 1);

    let (status, headers, gzipped) = fetch(&app, &path, &[("Accept-Encoding", GZIP)]).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-encoding"), "gzip");
    assert_eq!(header(&headers, "cache-control"), "no-cache");
    let vary = header(&headers, "vary").to_ascii_lowercase();
    assert!(
        vary.contains("cookie") && vary.contains("accept-encoding"),
        "{vary}"
    );
    assert!(
        header(&headers, "content-type").starts_with("text/html"),
        "{headers:?}"
    );
    let decoded = String::from_utf8(gunzip(&gzipped)).unwrap();
    assert_eq!(shown_views(&decoded), 2, "the gzip visit counted too");
    assert_eq!(decoded, with_views(&plain, 1, 2));
    assert!(gzipped.len() * 2 < decoded.len(), "actually compressed");

    // A prefetch counts nothing: both encodings show the same page, byte for byte.
    let prefetch = ("Sec-Purpose", "prefetch");
    let (_, _, plain) = fetch(&app, &path, &[prefetch]).await;
    let (_, _, gzipped) = fetch(&app, &path, &[prefetch, ("Accept-Encoding", "gzip")]).await;
    assert_eq!(gunzip(&gzipped), plain);
    assert_eq!(shown_views(&String::from_utf8(plain).unwrap()), 2);
}

#[tokio::test]
async fn every_font_size_and_count_decodes_exactly() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر بكل أحجام الخط", "published", now() - 60);
    let path = format!("/a/{id}");
    let mut expected_views = 0;
    for step in 1..=5 {
        let cookie = format!("font_size={step}");
        for _ in 0..3 {
            let (_, headers, gzipped) = fetch(
                &app,
                &path,
                &[("Accept-Encoding", "gzip"), ("Cookie", &cookie)],
            )
            .await;
            expected_views += 1;
            assert_eq!(header(&headers, "content-encoding"), "gzip");
            let decoded = String::from_utf8(gunzip(&gzipped)).unwrap();
            assert!(
                decoded.contains(&format!(r#"class="fs-{step}""#)),
                "font size {step}"
            );
            assert_eq!(shown_views(&decoded), expected_views);
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn only_gzip_is_offered() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر لمن لا يقبل إلا br", "published", now() - 60);
    for accept in ["br", "identity", "gzip;q=0", "zstd, br"] {
        let (status, headers, body) =
            fetch(&app, &format!("/a/{id}"), &[("Accept-Encoding", accept)]).await;
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-encoding"), "", "{accept}");
        assert!(
            String::from_utf8(body).unwrap().contains("<h1>"),
            "{accept}"
        );
    }
}

#[tokio::test]
async fn other_pages_and_static_text_are_compressed_but_fonts_are_not() {
    let app = spawn_app().await;
    app.insert_article("خبر على الصفحة الرئيسية", "published", now() - 60);
    for path in ["/", "/section/politics", "/search?q=خبر", "/no-such-page"] {
        let (status, _, plain) = fetch(&app, path, &[]).await;
        let (gzip_status, headers, gzipped) = fetch(&app, path, &[("Accept-Encoding", GZIP)]).await;
        assert_eq!(status, gzip_status, "{path}");
        assert_eq!(header(&headers, "content-encoding"), "gzip", "{path}");
        assert!(
            header(&headers, "vary")
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{path}"
        );
        assert_eq!(gunzip(&gzipped), plain, "{path}");
    }

    let (_, home, _) = fetch(&app, "/", &[]).await;
    assert_eq!(header(&home, "content-encoding"), "");
    let (_, html) = app.get_html("/").await;
    let stylesheet =
        crate::common::attribute(&html, r#"<link rel="stylesheet""#, "href").expect("css");
    let (_, _, css) = fetch(&app, stylesheet, &[]).await;
    let (_, headers, gzipped) = fetch(&app, stylesheet, &[("Accept-Encoding", GZIP)]).await;
    assert_eq!(header(&headers, "content-encoding"), "gzip");
    assert!(header(&headers, "cache-control").contains("immutable"));
    assert_eq!(gunzip(&gzipped), css);

    let font = "/static/fonts/NotoNaskhArabic-Regular.woff2";
    let (status, headers, _) = fetch(&app, font, &[("Accept-Encoding", GZIP)]).await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-encoding"),
        "",
        "WOFF2 is compressed already"
    );
}

#[tokio::test]
async fn a_sitemap_is_streamed_and_gzipped_on_the_way_to_the_identity_sitemap() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.sitemap_batch = 4;
    let app = spawn_app_with(settings, dir).await;
    let mut ids = Vec::new();
    for n in 0..30 {
        // Some share a second: the next batch starts after the last one sent, ties and all.
        let at = now() - 10_000 + (n / 3) * 60;
        ids.push(app.insert_article(&format!("خبر في خريطة الموقع {n}"), "published", at));
    }
    let (status, headers, plain) = fetch(&app, "/sitemap.xml", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-length"),
        "",
        "sent as it is read, so its length is not known up front"
    );
    let plain = String::from_utf8(plain).unwrap();
    let listed = plain.matches("<url>").count();
    assert_eq!(
        listed,
        1 + 4 + 30,
        "the home page, 4 sections and every article"
    );
    for id in &ids {
        assert_eq!(plain.matches(&format!("/a/{id}<")).count(), 1, "{id} once");
    }
    let (status, headers, gzipped) =
        fetch(&app, "/sitemap.xml", &[("Accept-Encoding", GZIP)]).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-encoding"), "gzip");
    assert!(
        header(&headers, "vary")
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    assert_eq!(String::from_utf8(gunzip(&gzipped)).unwrap(), plain);
}

#[tokio::test]
async fn an_edit_shows_at_once_in_both_encodings() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let id = app
        .create_article_via_form(&[("title", "العنوان الأول قبل التعديل")])
        .await;
    let path = format!("/a/{id}");
    let reader = app.with_new_browser();
    let (_, _, gzipped) = fetch(&reader, &path, &[("Accept-Encoding", "gzip")]).await;
    assert!(
        String::from_utf8(gunzip(&gzipped))
            .unwrap()
            .contains("العنوان الأول")
    );
    let (_, first) = reader.get_html(&path).await;
    assert!(first.contains("العنوان الأول"));

    let (_, edit) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (_, version) = edit_fields(&edit);
    let response = app
        .submit_article(
            &format!("/admin/articles/{id}"),
            &[
                ("title", "العنوان بعد التعديل مباشرة"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "saved");

    let (_, page) = reader.get_html(&path).await;
    assert!(page.contains("العنوان بعد التعديل مباشرة"), "identity");
    assert!(!page.contains("العنوان الأول"));
    assert_eq!(shown_views(&page), 3, "the edit kept the count");
    let (_, _, gzipped) = fetch(&reader, &path, &[("Accept-Encoding", "gzip")]).await;
    let decoded = String::from_utf8(gunzip(&gzipped)).unwrap();
    assert!(decoded.contains("العنوان بعد التعديل مباشرة"), "gzip");
    assert_eq!(shown_views(&decoded), 4);

    // Unpublished: gone for readers at once, in both encodings.
    let (_, edit) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (_, version) = edit_fields(&edit);
    let response = app
        .submit_article(
            &format!("/admin/articles/{id}"),
            &[("status", "draft"), ("version", &version)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "saved as a draft");
    assert_eq!(reader.get(&path).await.status().as_u16(), 404);
    let (status, _, _) = fetch(&reader, &path, &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(status, 404);
}
