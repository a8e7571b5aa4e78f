//! The view counter: exact under concurrency, nothing written per visit, nothing lost on a
//! graceful restart.

use std::sync::Arc;
use std::time::Duration;

use crate::common::{now, shown_views, spawn_app, spawn_app_with, test_settings};

#[tokio::test]
async fn each_visit_counts_once_and_the_page_shows_it_at_once() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر لعد المشاهدات واحدة بواحدة", "published", now() - 60);
    for expected in 1..=3 {
        let (_, html) = app.get_html(&format!("/a/{id}")).await;
        assert_eq!(shown_views(&html), expected);
    }
    app.wait_until_flushed(id, 3).await;
}

#[tokio::test]
async fn head_requests_and_prefetches_do_not_count() {
    let app = spawn_app().await;
    let id = app.insert_article("خبر لا تحسب فيه الزيارات المسبقة", "published", now() - 60);
    let url = format!("{}/a/{id}", app.address);
    let head = app.client.head(&url).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 200);
    for (name, value) in [
        ("Sec-Purpose", "prefetch"),
        ("Purpose", "prefetch"),
        ("Sec-Purpose", "prefetch;prerender"),
    ] {
        let response = app
            .client
            .get(&url)
            .header(name, value)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            shown_views(&response.text().await.unwrap()),
            0,
            "{name}: {value}"
        );
    }
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(shown_views(&html), 1);
}

#[tokio::test]
async fn concurrent_visits_are_counted_exactly() {
    let app = spawn_app().await;
    let id = app.insert_article(
        "خبر يزوره مئتا قارئ في اللحظة نفسها",
        "published",
        now() - 60,
    );
    let url = format!("{}/a/{id}", app.address);
    let visits: Vec<_> = (0..200)
        .map(|_| {
            let client = reqwest::Client::new();
            let url = url.clone();
            tokio::spawn(async move {
                let response = client.get(&url).send().await.expect("visit");
                assert_eq!(response.status().as_u16(), 200);
                shown_views(&response.text().await.expect("body"))
            })
        })
        .collect();
    let mut shown = Vec::new();
    for visit in visits {
        shown.push(visit.await.expect("task"));
    }
    shown.sort();
    assert_eq!(
        shown,
        (1..=200).collect::<Vec<_>>(),
        "every visitor saw a distinct count"
    );
    app.wait_until_flushed(id, 200).await;
}

#[tokio::test]
async fn counts_survive_a_graceful_restart() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    // Long enough that only the shutdown flush can have written the counts.
    settings.view_flush_interval = Duration::from_secs(3600);
    let app = spawn_app_with(settings.clone(), dir.clone()).await;
    let id = app.insert_article(
        "خبر تبقى مشاهداته بعد إعادة التشغيل",
        "published",
        now() - 60,
    );
    for _ in 0..7 {
        app.get(&format!("/a/{id}")).await;
    }
    let dir = app.stop().await;

    let app = spawn_app_with(settings, dir).await;
    assert_eq!(app.stored_views(id), 7);
    let (_, html) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(shown_views(&html), 8);
}

#[tokio::test]
async fn demo_content_is_inserted_once_only() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.demo = true;
    let app = spawn_app_with(settings.clone(), dir.clone()).await;
    assert_eq!(app.article_count(), 12);
    let (_, home) = app.get_html("/").await;
    assert!(home.contains(r#"class="lead""#));
    let dir = app.stop().await;

    let app = spawn_app_with(settings.clone(), dir).await;
    assert_eq!(app.article_count(), 12, "not seeded again");
    let ids = sahifa::db::articles::all_ids(&mut app.conn()).unwrap();
    for id in ids {
        sahifa::app::newsroom::delete_article(&app.db, crate::common::test_actor(), id, 0)
            .await
            .unwrap();
    }
    let dir = app.stop().await;
    let app = spawn_app_with(settings, dir).await;
    assert_eq!(app.article_count(), 0, "deleted demo articles stay deleted");
}
