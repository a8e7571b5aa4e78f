//! What processing makes of an upload besides its served files: the placeholder pages show
//! while the lead picture loads, and the original kept outside the served tree when the
//! operator asks for it.

use base64::Engine as _;

use crate::common::{TestApp, spawn_app, spawn_app_with, test_settings};
use crate::pictures::photo;

/// A JPEG photo whose EXIF names who took it: a TIFF block with one IFD entry, Artist.
fn photo_with_artist(artist: &str) -> Vec<u8> {
    use image::ImageEncoder as _;
    let mut value = artist.as_bytes().to_vec();
    value.push(0);
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes()); // the first IFD, right after the header
    tiff.extend(1u16.to_le_bytes()); // one entry:
    tiff.extend(0x013Bu16.to_le_bytes()); // Artist,
    tiff.extend(2u16.to_le_bytes()); // ASCII,
    tiff.extend((value.len() as u32).to_le_bytes());
    tiff.extend(26u32.to_le_bytes()); // its text after the IFD (8 + 2 + 12 + 4)
    tiff.extend(0u32.to_le_bytes()); // no next IFD
    tiff.extend(value);
    let pixels = image::load_from_memory(&photo(800, 600)).unwrap().to_rgb8();
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    encoder.set_exif_metadata(tiff).unwrap();
    encoder
        .write_image(pixels.as_raw(), 800, 600, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// Uploads `file` to the media library as a signed-in editor; the stored picture's id.
async fn upload(app: &TestApp, file: Vec<u8>, file_name: &str) -> String {
    let (status, location, _) =
        crate::pictures::upload(app, file, file_name, "سوق الخضار في الصباح").await;
    assert_eq!(status, 303, "uploaded");
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

/// The hash naming the files of the newest picture in the library.
async fn newest_hash(app: &TestApp) -> String {
    let (_, html) = app.get_html("/admin/media").await;
    html.split("src=\"/media/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("a picture in the library")
        .to_owned()
}

#[tokio::test]
async fn with_keep_originals_the_upload_is_kept_as_uploaded_and_never_served() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.keep_originals = true;
    let originals = settings.database.beside(".originals");
    let app = spawn_app_with(settings, dir.clone()).await;
    app.login_as_editor().await;
    let original = photo_with_artist("Hidden Photographer CAM-778899");
    let picture = upload(&app, original.clone(), "from-the-camera.jpg").await;
    let hash = newest_hash(&app).await;

    let kept = std::fs::read(originals.join(format!("{hash}.jpg"))).expect("the original kept");
    assert!(kept == original, "byte for byte as uploaded");
    let needle = b"Hidden Photographer CAM-778899";
    assert!(
        kept.windows(needle.len()).any(|w| w == needle),
        "its EXIF kept"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode();
        assert_eq!(mode(&originals) & 0o777, 0o700, "the folder is private");
        assert_eq!(mode(&originals.join(format!("{hash}.jpg"))) & 0o777, 0o600);
    }

    // No address reaches it: not by its name under /media, nor by climbing out of it.
    for path in [
        format!("/media/{hash}/{hash}.jpg"),
        format!("/media/{hash}/original.jpg"),
        format!("/media/{hash}.jpg"),
        format!("/media/{hash}"),
        format!("/media/%2e%2e/sahifa.db.originals/{hash}.jpg"),
        format!("/media/{hash}/%2e%2e%2f%2e%2e%2fsahifa.db.originals%2f{hash}.jpg"),
        format!("/static/%2e%2e/sahifa.db.originals/{hash}.jpg"),
        format!("/sahifa.db.originals/{hash}.jpg"),
    ] {
        let response = app.get(&path).await;
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap();
        assert!(status >= 400, "{path}: {status}");
        assert!(body.windows(needle.len()).all(|w| w != needle), "{path}");
    }
    // What is served is ours: no EXIF.
    let served = app.get(&format!("/media/{hash}/640.jpg")).await;
    assert_eq!(served.status().as_u16(), 200);
    let served = served.bytes().await.unwrap();
    assert!(served.windows(needle.len()).all(|w| w != needle));

    // Deleting the picture from the library deletes its original.
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            &format!("/admin/media/{picture}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(!originals.join(format!("{hash}.jpg")).exists());
}

#[tokio::test]
async fn without_keep_originals_nothing_is_kept() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    upload(&app, photo_with_artist("Hidden Photographer"), "p.jpg").await;
    assert!(!app.dir.path().join("sahifa.db.originals").exists());
    assert!(!app.dir.path().join("sahifa.originals").exists());
    let leftovers: Vec<_> = std::fs::read_dir(app.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("original"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test]
async fn an_original_that_cannot_be_kept_does_not_fail_the_upload() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    // A file where the folder of originals should be: it cannot be created.
    let mut settings = test_settings(&dir);
    std::fs::write(settings.database.beside(".originals"), b"in the way").unwrap();
    settings.keep_originals = true;
    let app = spawn_app_with(settings, dir.clone()).await;
    app.login_as_editor().await;
    upload(&app, photo(640, 480), "p.jpg").await;
    let hash = newest_hash(&app).await;
    let served = app.get(&format!("/media/{hash}/640.webp")).await;
    assert_eq!(
        served.status().as_u16(),
        200,
        "the picture is in the library"
    );
}
