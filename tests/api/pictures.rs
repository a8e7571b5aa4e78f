//! The media library over HTTP: uploads are recognised by content, cleaned of every
//! metadata (read back with a real metadata reader, exiftool), turned upright, served in
//! every size with year-long caching; what is not a picture we accept is refused in Arabic
//! with the typed text kept.

use std::io::Cursor;
use std::process::Command;

use crate::common::{TestApp, spawn_app};

/// A `width`×`height` photo-like JPEG (a gradient with some detail).
pub(super) fn photo(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            ((x ^ y) & 0xff) as u8,
        ])
    });
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("jpeg encoded");
    out.into_inner()
}

fn exiftool_available() -> bool {
    Command::new("exiftool").arg("-ver").output().is_ok()
}

/// What exiftool reads in `bytes`, as one JSON object's text.
fn metadata_of(bytes: &[u8]) -> String {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), bytes).expect("written");
    let output = Command::new("exiftool")
        .args(["-j", "-a", "-G1"])
        .arg(file.path())
        .output()
        .expect("exiftool runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes GPS position, camera serial, an XMP author and "rotate 90° clockwise" into a
/// JPEG with exiftool.
fn with_revealing_metadata(jpeg: &[u8]) -> Vec<u8> {
    let file = tempfile::Builder::new()
        .suffix(".jpg")
        .tempfile()
        .expect("temp file");
    std::fs::write(file.path(), jpeg).expect("written");
    let status = Command::new("exiftool")
        .args([
            "-q",
            "-overwrite_original",
            "-GPSLatitude=36.2021",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=37.1343",
            "-GPSLongitudeRef=E",
            "-SerialNumber=CAM-SERIAL-778899",
            "-XMP-dc:Creator=Hidden Photographer",
            "-Artist=Hidden Photographer",
            "-Orientation#=6",
        ])
        .arg(file.path())
        .status()
        .expect("exiftool runs");
    assert!(status.success());
    std::fs::read(file.path()).expect("read back")
}

/// Posts the upload form as a browser does; returns status, `Location` and page.
pub(super) async fn upload(
    app: &TestApp,
    file: Vec<u8>,
    file_name: &str,
    alt: &str,
) -> (u16, String, String) {
    let token = app.session_csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("alt", alt.to_owned())
        .text("caption", "تعليق على الصورة".to_owned())
        .text("credit", "مصور الصحيفة".to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(file).file_name(file_name.to_owned()),
        );
    post_multipart(app, "/admin/media", form).await
}

/// Posts `form` to `path` as a browser does; returns status, `Location` and page.
async fn post_multipart(
    app: &TestApp,
    path: &str,
    form: reqwest::multipart::Form,
) -> (u16, String, String) {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .multipart(form)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.expect("body"))
}

/// The served files of the first picture on the library page.
async fn served_files(app: &TestApp) -> (String, Vec<String>) {
    let (status, html) = app.get_html("/admin/media").await;
    assert_eq!(status, 200);
    let src = html
        .split("src=\"/media/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a picture in the library");
    let hash = src.split('/').next().unwrap().to_owned();
    let names = ["320.jpg", "320.webp", "640.jpg", "640.webp", "card.jpg"]
        .iter()
        .map(|n| format!("/media/{hash}/{n}"))
        .collect();
    (hash, names)
}

#[tokio::test]
async fn uploads_lose_every_metadata_and_are_turned_upright() {
    if !exiftool_available() {
        eprintln!("skipped: exiftool is not installed (Debian: libimage-exiftool-perl)");
        assert!(std::env::var("CI").is_err(), "CI must have exiftool");
        return;
    }
    let app = spawn_app().await;
    app.login_as_editor().await;
    // 1200×900 as stored; "rotate 90°" makes it 900 wide and 1200 tall.
    let original = with_revealing_metadata(&photo(1200, 900));
    assert!(metadata_of(&original).contains("CAM-SERIAL-778899"));
    let (status, location, _) = upload(&app, original, "holiday.jpg", "جسر فوق النهر").await;
    assert_eq!(status, 303, "uploaded");
    assert!(location.starts_with("/admin/media?done=uploaded"));

    let (_, files) = served_files(&app).await;
    for path in &files {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let headers = response.headers().clone();
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{path}"
        );
        let expected_type = if path.ends_with(".webp") {
            "image/webp"
        } else {
            "image/jpeg"
        };
        assert_eq!(headers["content-type"], expected_type, "{path}");
        let bytes = response.bytes().await.expect("body").to_vec();
        let metadata = metadata_of(&bytes);
        for revealing in [
            "GPS",
            "CAM-SERIAL",
            "SerialNumber",
            "Hidden Photographer",
            "Orientation",
            "XMP",
            "IPTC",
            "ICC_Profile",
        ] {
            assert!(
                !metadata.contains(revealing),
                "{path} keeps {revealing}: {metadata}"
            );
        }
        let picture = image::load_from_memory(&bytes).expect("a picture");
        let (width, height) = (picture.width(), picture.height());
        if path.ends_with("card.jpg") {
            assert_eq!((width, height), (1200, 630), "{path}");
        } else {
            // Upright: taller than wide, in the proportions of 900×1200.
            let served: u32 = path
                .rsplit('/')
                .next()
                .unwrap()
                .split('.')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert_eq!((width, height), (served, served * 1200 / 900), "{path}");
        }
    }
    // Never wider than uploaded (900): no 960 and up.
    let hash = files[0].split('/').nth(2).unwrap();
    for wider in ["960.jpg", "960.webp", "1280.jpg", "1920.webp"] {
        assert_eq!(
            app.get(&format!("/media/{hash}/{wider}"))
                .await
                .status()
                .as_u16(),
            404
        );
    }
}

#[tokio::test]
async fn what_is_not_a_picture_we_accept_is_refused_in_arabic_and_the_text_kept() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let mut truncated = photo(400, 300);
    truncated.truncate(truncated.len() / 3);
    let strip = {
        let image = image::RgbImage::new(1, 100_000);
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "zip",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest of an archive".to_vec(),
            "ليس صورة",
        ),
        (
            "svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.to_vec(),
            "ليس صورة",
        ),
        (
            "html",
            b"<!doctype html><title>x</title>".to_vec(),
            "ليس صورة",
        ),
        (
            "pdf",
            b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec(),
            "ليس صورة",
        ),
        ("truncated jpeg", truncated, "تعذّرت قراءة الصورة"),
        ("1 x 100,000 png", strip, "أبعاد الصورة كبيرة"),
        (
            "30,000 x 30,000 png",
            png_claiming(30_000, 30_000),
            "أبعاد الصورة كبيرة",
        ),
    ];
    for (what, bytes, message) in cases {
        let (status, _, html) = upload(&app, bytes, "photo.jpg", "وصف مكتوب بعناية").await;
        // The server runs in this process: its peak memory is this process's. The bomb
        // would need 2.7 GB decoded; refused from its header, it costs nothing.
        let peak = peak_rss_mb();
        assert!(peak < 768, "{what}: peak RSS {peak} MB");
        assert_eq!(status, 422, "{what}");
        assert!(html.contains(message), "{what}: {message}");
        assert!(
            html.contains("value=\"وصف مكتوب بعناية\""),
            "{what}: alt text kept"
        );
    }
    // A PNG named .jpg is fine: content decides.
    let png = {
        let mut out = Cursor::new(Vec::new());
        image::RgbImage::new(500, 400)
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    };
    let (status, _, _) = upload(&app, png, "photo.jpg", "صورة بصيغة أخرى").await;
    assert_eq!(status, 303);
    // Alt text is required.
    let (status, _, html) = upload(&app, photo(400, 300), "photo.jpg", "   ").await;
    assert_eq!(status, 422);
    assert!(html.contains("اكتب وصفًا للصورة"));
}

/// The peak resident memory of this process so far (`VmHWM`), in MB.
fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .expect("VmHWM in kB")
        / 1024
}

/// A PNG whose header claims `width`×`height` (a decompression bomb's opening: a few
/// bytes that promise gigabytes).
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    };
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(b"IHDR", &header);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
    chunk(b"IEND", &[]);
    png
}

#[tokio::test]
async fn uploads_need_the_session_and_its_token() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", "forged".to_owned())
        .text("alt", "وصف".to_owned())
        .part("file", reqwest::multipart::Part::bytes(photo(100, 100)));
    let response = app
        .client
        .post(format!("{}/admin/media", app.address))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let stranger = app.with_new_browser();
    let response = stranger
        .client
        .post(format!("{}/admin/media", app.address))
        .multipart(reqwest::multipart::Form::new().text("alt", "x".to_owned()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303, "to the sign-in page");
    let (status, html) = app.get_html("/admin/media").await;
    assert_eq!(status, 200);
    assert!(html.contains("لا صور بعد"));
}

/// The id of the newest picture on the library page.
async fn newest_picture_id(app: &TestApp) -> String {
    let (_, html) = app.get_html("/admin/media").await;
    html.split("<li id=\"picture-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a picture in the library")
        .to_owned()
}

#[tokio::test]
async fn an_article_leads_with_its_picture_and_shares_it() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let (status, _, _) = upload(&app, photo(1600, 1000), "bridge.jpg", "جسر حجري فوق النهر").await;
    assert_eq!(status, 303);
    let picture = newest_picture_id(&app).await;

    // A number that is not in the library: the form comes back with the text kept.
    let response = app
        .submit_article(
            "/admin/articles",
            &[("title", "خبر بصورة رئيسية"), ("lead_picture", "999999")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("لا توجد في مكتبة الصور صورة بهذا الرقم"));
    assert!(html.contains("خبر بصورة رئيسية"));

    let response = app
        .submit_article(
            "/admin/articles",
            &[("title", "خبر بصورة رئيسية"), ("lead_picture", &picture)],
        )
        .await;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    let body = response.text().await.unwrap();
    let errors: Vec<&str> = body.split("class=\"field-error\"").skip(1).collect();
    assert_eq!(status, 303, "picture {picture}: {errors:?}");
    let id: i64 = location
        .unwrap()
        .trim_start_matches("/admin/articles/")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (status, page) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<picture>"));
    assert!(page.contains("alt=\"جسر حجري فوق النهر\""));
    assert!(page.contains("fetchpriority=\"high\""));
    assert!(page.contains("width=\"1600\" height=\"1000\""));
    assert!(page.contains("تصوير: <bdi>مصور الصحيفة</bdi>"));
    assert!(page.contains("twitter:card\" content=\"summary_large_image\""));
    let og_image = page
        .split("property=\"og:image\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("og:image")
        .to_owned();
    let path = og_image
        .split_once("/media/")
        .map(|(_, p)| format!("/media/{p}"))
        .unwrap();
    let response = app.get(&path).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let card = image::load_from_memory(&response.bytes().await.unwrap()).unwrap();
    assert_eq!((card.width(), card.height()), (1200, 630));
    // Every srcset file answers.
    let srcset = page
        .split("srcset=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    for candidate in srcset.split(", ") {
        let url = candidate.split(' ').next().unwrap();
        assert_eq!(app.get(url).await.status().as_u16(), 200, "{url}");
    }
    // JSON-LD names the picture.
    let json = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["image"][0], og_image.as_str());

    // The newest article leads the home page and its section's page with its picture.
    for list in ["/", "/section/politics"] {
        let (_, html) = app.get_html(list).await;
        let lead = html.split("<section class=\"lead\"").nth(1).unwrap();
        let lead = lead.split("</section>").next().unwrap();
        assert!(lead.contains("<img class=\"lead-image\""), "{list}");
        assert!(lead.contains("alt=\"جسر حجري فوق النهر\""), "{list}");
    }

    // Feed readers and Google News get the card too.
    let feed = app.get("/feed.xml").await.text().await.unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let media = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://search.yahoo.com/mrss/", "content")))
        .expect("media:content in the feed");
    assert_eq!(media.attribute("url"), Some(og_image.as_str()));
    assert_eq!(media.attribute("width"), Some("1200"));
    let news = app.get("/news-sitemap.xml").await.text().await.unwrap();
    let doc = roxmltree::Document::parse(&news).unwrap();
    let loc = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://www.google.com/schemas/sitemap-image/1.1", "loc")))
        .expect("image:loc in the news sitemap");
    assert_eq!(loc.text(), Some(og_image.as_str()));

    // A picture an article shows is not deleted.
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            &format!("/admin/media/{picture}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 409);
    assert!(app.get(&path).await.status().is_success());
}

#[tokio::test]
async fn a_deleted_picture_is_no_longer_served() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let (status, _, _) = upload(&app, photo(700, 500), "p.jpg", "صورة ستحذف").await;
    assert_eq!(status, 303);
    let (_, files) = served_files(&app).await;
    // Asked twice: the second answer may come from memory.
    for _ in 0..2 {
        assert_eq!(app.get(&files[0]).await.status().as_u16(), 200);
    }
    let picture = newest_picture_id(&app).await;
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            &format!("/admin/media/{picture}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    for path in &files {
        assert_eq!(app.get(path).await.status().as_u16(), 404, "{path}");
    }
}

#[tokio::test]
async fn pictures_placed_in_the_body_are_figures_and_a_missing_one_is_refused() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let (status, _, _) = upload(&app, photo(800, 600), "market.jpg", "سوق شعبي مزدحم").await;
    assert_eq!(status, 303);
    let picture = newest_picture_id(&app).await;

    let missing = "الفقرة الأولى.\n\n[صورة:424242]\n\nالفقرة الثانية.";
    let response = app
        .submit_article("/admin/articles", &[("body", missing)])
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("لصورة ليست في مكتبة الصور"));
    assert!(html.contains("[صورة:424242]"), "the body is kept as typed");

    let body = format!("الفقرة الأولى.\n\n[صورة:{picture}]\n\nالفقرة الثانية.");
    let id = app.create_article_via_form(&[("body", &body)]).await;
    let (_, page) = app.get_html(&format!("/a/{id}")).await;
    let body_html = page.split("<div class=\"article-body\">").nth(1).unwrap();
    assert!(body_html.contains("<figure class=\"body-picture\">"));
    assert!(body_html.contains("alt=\"سوق شعبي مزدحم\""));
    assert!(body_html.contains("loading=\"lazy\""));
    let src = body_html
        .split("<img src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert_eq!(app.get(src).await.status().as_u16(), 200);
    // Placed in a body, it is not deleted.
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            &format!("/admin/media/{picture}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 409);
}

/// Posts the article form as a browser does once it has a file input
/// (`multipart/form-data`): `fields` over sensible defaults, and `file` if one is chosen
/// (`Some(empty)` is what a browser sends when none is).
async fn submit_article_with_file(
    app: &TestApp,
    fields: &[(&str, &str)],
    file: Option<(Vec<u8>, &str)>,
) -> (u16, String, String) {
    let token = app.session_csrf().await;
    let section = app.section_id("politics").to_string();
    let mut pairs: Vec<(&str, &str)> = vec![
        ("csrf_token", &token),
        ("title", "خبر بصورة رفعها المحرر مع النص"),
        ("summary", "ملخص الخبر في جملة."),
        ("body", "الفقرة الأولى.\n\nالفقرة الثانية."),
        ("section_id", &section),
        ("author", ""),
        ("status", "published"),
        ("published_at", ""),
        ("lead_picture", ""),
        ("lead_alt", ""),
        ("lead_caption", ""),
        ("lead_credit", ""),
    ];
    for (name, value) in fields {
        pairs.retain(|(existing, _)| existing != name);
        pairs.push((name, value));
    }
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in pairs {
        form = form.text(name.to_owned(), value.to_owned());
    }
    let (bytes, file_name) = file.unwrap_or((Vec::new(), ""));
    form = form.part(
        "lead_file",
        reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
    );
    post_multipart(app, "/admin/articles", form).await
}

fn article_id_of(location: &str) -> i64 {
    location
        .trim_start_matches("/admin/articles/")
        .split('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("id in the redirect")
}

#[tokio::test]
async fn the_article_form_uploads_its_lead_picture_without_losing_a_word() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let body = "نص كتبه المحرر بعناية ولا يجوز أن يضيع.";

    // A form with no file chosen is an ordinary save.
    let (status, location, _) =
        submit_article_with_file(&app, &[("body", body)], Some((Vec::new(), ""))).await;
    assert_eq!(status, 303);
    let (_, page) = app
        .get_html(&format!("/a/{}", article_id_of(&location)))
        .await;
    assert!(!page.contains("<picture>"), "no picture chosen, none shown");

    // Not a picture: refused in Arabic, every word kept, nothing saved.
    let articles_before = app.article_count();
    let (status, _, html) = submit_article_with_file(
        &app,
        &[("body", body), ("lead_alt", "وصف الصورة المرفوعة")],
        Some((b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec(), "scan.jpg")),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("ليس صورة"), "the file's message");
    assert!(html.contains(body), "the body kept");
    assert!(
        html.contains("value=\"وصف الصورة المرفوعة\""),
        "the alt kept"
    );
    assert_eq!(app.article_count(), articles_before, "nothing saved");

    // A picture without its description: refused, asking for it.
    let (status, _, html) =
        submit_article_with_file(&app, &[("body", body)], Some((photo(800, 600), "a.jpg"))).await;
    assert_eq!(status, 422);
    assert!(html.contains("اكتب وصفًا للصورة"));
    assert!(html.contains(body));

    // A picture with its text but the title forgotten: the picture is kept in the library
    // and the form names it, so saving again needs no second upload.
    let (status, _, html) = submit_article_with_file(
        &app,
        &[
            ("title", ""),
            ("body", body),
            ("lead_alt", "سوق شعبي في الصباح"),
            ("lead_caption", "السوق قبل ازدحامه"),
            ("lead_credit", "مصور الصحيفة"),
        ],
        Some((photo(1600, 1200), "market.jpg")),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(body));
    let picture = crate::common::attribute(&html, "id=\"lead_picture\"", "value")
        .expect("the lead picture field")
        .to_owned();
    assert!(
        picture.parse::<i64>().is_ok(),
        "the stored picture's number: {picture:?}"
    );
    assert!(
        html.contains("alt=\"سوق شعبي في الصباح\""),
        "the form shows the picture it now leads with"
    );

    let (status, location, _) = submit_article_with_file(
        &app,
        &[("body", body), ("lead_picture", &picture)],
        Some((Vec::new(), "")),
    )
    .await;
    assert_eq!(status, 303);
    let (status, page) = app
        .get_html(&format!("/a/{}", article_id_of(&location)))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("<picture>"));
    assert!(page.contains("alt=\"سوق شعبي في الصباح\""));
    assert!(page.contains("تصوير: <bdi>مصور الصحيفة</bdi>"));
    assert!(page.contains(body));

    // The same form sent URL-encoded (no file input at all) still saves.
    let id = app
        .create_article_via_form(&[("lead_picture", &picture)])
        .await;
    let (_, page) = app.get_html(&format!("/a/{id}")).await;
    assert!(page.contains("alt=\"سوق شعبي في الصباح\""));
}

#[tokio::test]
async fn the_article_form_offers_the_library_to_place_and_lead_with() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let (status, _, _) = upload(&app, photo(900, 600), "river.jpg", "نهر بين الأشجار").await;
    assert_eq!(status, 303);
    let picture = newest_picture_id(&app).await;
    let (status, html) = app.get_html("/admin/articles/new").await;
    assert_eq!(status, 200);
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains(&format!("data-insert-picture=\"{picture}\"")));
    assert!(html.contains(&format!("data-lead-picture=\"{picture}\"")));
    assert!(html.contains("alt=\"نهر بين الأشجار\""));
}

#[tokio::test]
async fn lists_and_search_results_show_thumbnails_of_lead_pictures() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let (status, _, _) = upload(&app, photo(1200, 800), "olive.jpg", "أشجار زيتون في الحقل").await;
    assert_eq!(status, 303);
    let picture = newest_picture_id(&app).await;
    let older = app
        .create_article_via_form(&[
            ("title", "موسم قطاف الزيتون يبدأ مبكرًا"),
            ("lead_picture", &picture),
            ("published_at", "2026-01-10T09:30:00"),
        ])
        .await;
    // A newer story without a picture leads the page; the older one is in the list.
    app.create_article_via_form(&[("title", "خبر أحدث بلا صورة")])
        .await;

    for path in ["/", "/section/politics", "/search?q=الزيتون"] {
        let (status, html) = app.get_html(path).await;
        assert_eq!(status, 200, "{path}");
        let list = html
            .split("class=\"article-list")
            .nth(1)
            .unwrap_or_else(|| panic!("{path}: a list"));
        let item = list
            .split("<li>")
            .find(|li| li.contains(&format!("href=\"/a/{older}\"")) && li.contains("<h"))
            .unwrap_or_else(|| panic!("{path}: the story is listed"));
        assert!(
            item.contains("class=\"thumbnail\""),
            "{path}: a thumbnail by the story"
        );
        let jpeg = crate::common::attribute(item, "<img", "src").expect("thumbnail src");
        assert!(
            jpeg.ends_with("/320.jpg"),
            "{path}: the narrowest file: {jpeg}"
        );
        assert!(item.contains("loading=\"lazy\""), "{path}");
        assert!(item.contains("alt=\"\""), "{path}: the headline says it");
        assert_eq!(app.get(jpeg).await.status().as_u16(), 200, "{path}: {jpeg}");
        let newer_item = list
            .split("<li>")
            .find(|li| li.contains("خبر أحدث بلا صورة"));
        if let Some(newer) = newer_item {
            assert!(
                !newer.contains("class=\"thumbnail\""),
                "{path}: no picture, no thumbnail"
            );
        }
    }
}

/// An admin picks a library picture as the site's logo: the header shows it (with the
/// site's name as its text), every page at once; emptied, the name is text again.
#[tokio::test]
async fn a_library_picture_becomes_the_site_s_logo() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let (status, _, _) = upload(&app, photo(600, 150), "logo.png", "شعار الصحيفة").await;
    assert_eq!(status, 303);
    let id = newest_picture_id(&app).await;
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            "/admin/logo",
            &[("csrf_token", &token), ("picture", "999999")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.unwrap().contains("value=\"999999\""));
    let response = app
        .post_form("/admin/logo", &[("csrf_token", &token), ("picture", &id)])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, home) = app.get_html("/").await;
    let header = home.split("</header>").next().unwrap();
    assert!(header.contains("class=\"brand brand-logo\""), "{header}");
    assert!(header.contains("alt=\"صحيفة\""));
    let src = crate::common::attribute(header, "<img src=", "src").unwrap();
    assert_eq!(app.get(src).await.status().as_u16(), 200);
    let response = app
        .post_form("/admin/logo", &[("csrf_token", &token), ("picture", "")])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, home) = app.get_html("/").await;
    assert!(home.contains("<a class=\"brand\" href=\"/\">صحيفة</a>"));
}
