//! The site in a real browser: starts the server on a free port with the demo articles and
//! runs the Node suite in `tests/browser/` against it (headless Chromium through
//! playwright-core, the Nu Html Checker, axe-core, and a feed parser).
//!
//! Without Node, Chromium, Java, Python's feedparser or `tests/browser/node_modules` the
//! test says why it skipped and passes, so `cargo test` works on any machine; with
//! `CI=true` a missing tool fails it instead, since CI must prove the browser tests ran.
//! `.ci/run` installs all of them.

// A test fails by panicking: unwrap and expect are how it says what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use common::{ADMIN_PASSWORD, ADMIN_USER, landscape_jpeg, spawn_app_with, test_settings};

const CHROMIUM: &str = "/usr/bin/chromium";

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Screenshots go beside the build output (`target/screenshots/`), wherever that is.
fn screenshot_dir() -> PathBuf {
    let target_tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    target_tmp
        .parent()
        .unwrap_or(target_tmp)
        .join("screenshots")
}

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|out| out.status.success())
}

/// The first thing the suite needs that this machine lacks.
fn missing_prerequisite() -> Option<String> {
    let suite = suite_dir();
    if !runs("node", &["--version"]) {
        return Some("`node` is not installed".to_owned());
    }
    if !Path::new(CHROMIUM).exists() {
        return Some(format!("{CHROMIUM} is missing (apt-get install chromium)"));
    }
    for package in ["playwright-core", "axe-core", "vnu-jar"] {
        if !suite.join("node_modules").join(package).is_dir() {
            return Some(format!(
                "tests/browser/node_modules/{package} is missing (run `npm ci --ignore-scripts` in tests/browser)"
            ));
        }
    }
    if !runs("java", &["-version"]) {
        return Some("`java` is not installed (apt-get install default-jre-headless)".to_owned());
    }
    if !runs("python3", &["-c", "import feedparser"]) {
        return Some(
            "Python's feedparser is not installed (python3 -m pip install feedparser)".to_owned(),
        );
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_works_in_a_real_browser_and_passes_the_validators() {
    if let Some(why) = missing_prerequisite() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("browser tests did not run on CI: {why}");
        }
        // Straight to stderr, past the test harness's capture, so that `cargo test` shows it.
        let _ = writeln!(std::io::stderr(), "browser tests skipped: {why}");
        return;
    }

    // Arrange: the real server with the 12 demo articles in 4 sections, and an admin.
    let dir = Arc::new(tempfile::TempDir::new().expect("temp dir"));
    let mut settings = test_settings(&dir);
    settings.demo = true;
    let app = spawn_app_with(settings, dir).await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    assert_eq!(app.article_count(), 12, "demo articles seeded");

    // Act: the Node suite drives Chromium against it.
    // The photo the editor uploads, drawn here rather than on a canvas in the page: the
    // suite then waits on nothing in Chromium that has no time limit.
    let photo = app.dir.path().join("sunrise.jpg");
    std::fs::write(&photo, landscape_jpeg(1600, 1000)).expect("photo written");
    let screenshots = screenshot_dir();
    std::fs::create_dir_all(&screenshots).expect("screenshot dir");
    let mut node = Command::new("node");
    node.arg(suite_dir().join("run.mjs"))
        .arg(&app.address)
        .arg(&screenshots)
        .env("SAHIFA_TEST_USER", ADMIN_USER)
        .env("SAHIFA_TEST_PASSWORD", ADMIN_PASSWORD)
        .env("SAHIFA_CHROMIUM", CHROMIUM)
        .env("SAHIFA_TEST_PHOTO", &photo);
    let output = tokio::task::spawn_blocking(move || node.output())
        .await
        .expect("node runs to the end")
        .expect("node starts");

    // Assert
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "the browser suite failed ({}); its report is above",
        output.status
    );
    app.stop().await;
}
