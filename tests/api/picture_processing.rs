//! What processing makes of an upload besides its served files: the placeholder pages show
//! while the lead picture loads.

use std::io::Cursor;

use base64::Engine as _;

use crate::common::{TestApp, spawn_app};

/// A `width`×`height` photo-like JPEG (colour gradients with some detail).
fn photo(width: u32, height: u32) -> Vec<u8> {
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

/// Uploads `file` to the media library as a signed-in editor; the stored picture's id.
async fn upload(app: &TestApp, file: Vec<u8>, file_name: &str) -> String {
    let token = app.session_csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("alt", "سوق الخضار في الصباح".to_owned())
        .text("caption", String::new())
        .text("credit", String::new())
        .part(
            "file",
            reqwest::multipart::Part::bytes(file).file_name(file_name.to_owned()),
        );
    let response = app
        .client
        .post(format!("{}/admin/media", app.address))
        .multipart(form)
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status().as_u16(), 303, "uploaded");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location
        .split_once("#picture-")
        .map(|(_, id)| id.to_owned())
        .expect("the picture's id in the redirect")
}

/// The `src` of the placeholder `<img>` in `html`, if there is one.
fn placeholder_src(html: &str) -> Option<&str> {
    html.split("<img class=\"placeholder\" src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
}

#[tokio::test]
async fn the_lead_picture_has_a_tiny_placeholder_under_it() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let picture = upload(&app, photo(1600, 1000), "market.jpg").await;
    let id = app
        .create_article_via_form(&[("title", "خبر بصورة"), ("lead_picture", &picture)])
        .await;

    let (status, page) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(status, 200);
    let src = placeholder_src(&page).expect("a placeholder on the article page");
    assert!(src.starts_with("data:image/webp;base64,"), "{src}");
    assert!(src.len() <= 600, "{} bytes inline", src.len());
    let webp = base64::engine::general_purpose::STANDARD
        .decode(src.trim_start_matches("data:image/webp;base64,"))
        .expect("base64");
    let tiny = image::load_from_memory(&webp).expect("a picture");
    assert_eq!(
        (tiny.width(), tiny.height()),
        (16, 10),
        "the picture's shape"
    );
    // Decorative, underneath the picture, in the same frame; shown without inline style,
    // which the CSP would block.
    let frame = page
        .split("<div class=\"picture-frame\">")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the frame");
    let (before, after) = frame.split_once("<picture>").expect("the picture in it");
    assert!(before.contains("alt=\"\" aria-hidden=\"true\""), "{before}");
    assert!(after.contains("width=\"1600\" height=\"1000\""), "{after}");
    assert!(!page.contains("style=\""));

    // The lead story of the home and section pages has it too.
    for list in ["/", "/section/politics"] {
        let (_, html) = app.get_html(list).await;
        let lead = html.split("<section class=\"lead\"").nth(1).unwrap();
        assert_eq!(placeholder_src(lead), Some(src), "{list}");
    }
}
