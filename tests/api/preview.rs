//! Previews as the newsroom uses them: a new article's preview shows the permalink it will
//! have and publishes from there; a saved draft or scheduled article has a preview page the
//! form links to, with "نشر"; what readers already see offers nothing to publish.

use crate::admin::decode_html;
use crate::common::{TestApp, attribute, now, spawn_app};

/// The hidden fields of the preview's form that posts to `action`.
fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!(r#"<form method="post" action="{action}">"#))
        .unwrap_or_else(|| panic!("a form to {action}"));
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    form.split("<input type=\"hidden\" ")
        .skip(1)
        .map(|input| {
            let name = attribute(input, "name=", "name").unwrap().to_owned();
            let value = attribute(input, "name=", "value").unwrap_or_default();
            (name, decode_html(value))
        })
        .collect()
}

async fn post(app: &TestApp, action: &str, fields: &[(String, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    app.post_form(action, &pairs).await
}

#[tokio::test]
async fn a_new_articles_preview_shows_its_permalink_and_publishes_it_there() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let response = app
        .submit_article(
            "/admin/preview",
            &[("title", "خبر يُعاين قبل نشره"), ("status", "draft")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    let planned = form_fields(&html, "/admin/articles")
        .into_iter()
        .find(|(name, _)| name == "planned_id")
        .map(|(_, value)| value)
        .unwrap();
    assert_eq!(planned.len(), 15, "a permalink id: {planned}");
    let permalink = format!("{}/a/{planned}", app.address);
    assert!(html.contains(&permalink), "the page shows {permalink}");
    assert!(html.contains("نشر الآن"));

    // Back to the form and previewed again: the same permalink.
    let back = post(
        &app,
        "/admin/articles/resume",
        &form_fields(&html, "/admin/articles/resume"),
    )
    .await;
    let form = back.text().await.unwrap();
    assert_eq!(
        attribute(&form, r#"name="planned_id""#, "value"),
        Some(planned.as_str())
    );

    // "نشر الآن": saved, published now, at that address.
    let response = post(
        &app,
        "/admin/articles",
        &form_fields(&html, "/admin/articles"),
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        format!("/admin/articles/{planned}/edit?saved=1")
    );
    let (status, page) = app
        .with_new_browser()
        .get_html(&format!("/a/{planned}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("خبر يُعاين قبل نشره"));
}

#[tokio::test]
async fn a_saved_draft_links_to_its_preview_which_publishes_it() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let id = app
        .create_article_via_form(&[("title", "مسودة تنتظر النشر"), ("status", "draft")])
        .await;
    let (_, form) = app
        .get_html(&format!("/admin/articles/{id}/edit?saved=1"))
        .await;
    assert!(form.contains(&format!(r#"href="/admin/articles/{id}/preview""#)));
    assert!(
        !form.contains(&format!(r#"href="{}/a/{id}""#, app.address)),
        "no link to a 404"
    );

    let (status, preview) = app.get_html(&format!("/admin/articles/{id}/preview")).await;
    assert_eq!(status, 200);
    assert!(preview.contains("<h1>مسودة تنتظر النشر</h1>"));
    assert!(preview.contains(&format!("{}/a/{id}", app.address)));
    assert!(preview.contains(r#"<meta name="robots" content="noindex">"#));
    let fields = form_fields(&preview, &format!("/admin/articles/{id}"));
    assert!(fields.contains(&("status".into(), "published".into())));
    assert!(
        fields.contains(&("published_at".into(), String::new())),
        "now"
    );
    assert_eq!(
        app.with_new_browser()
            .get(&format!("/a/{id}"))
            .await
            .status()
            .as_u16(),
        404
    );

    let response = post(&app, &format!("/admin/articles/{id}"), &fields).await;
    assert_eq!(response.status().as_u16(), 303);
    let (status, _) = app.with_new_browser().get_html(&format!("/a/{id}")).await;
    assert_eq!(status, 200, "published from the preview");
    // Now readers see it as it is: nothing left to publish.
    let (_, preview) = app.get_html(&format!("/admin/articles/{id}/preview")).await;
    assert!(!preview.contains("نشر الآن"));
}

#[tokio::test]
async fn previews_keep_a_scheduled_time_and_an_articles_place_in_time() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    // Unsaved, for later: "جدولة النشر" keeps the time typed.
    let later =
        sahifa::core::article::format_local_datetime(now() + 86_400, chrono_tz::Asia::Damascus);
    let response = app
        .submit_article(
            "/admin/preview",
            &[("title", "خبر الغد"), ("published_at", &later)],
        )
        .await;
    let html = response.text().await.unwrap();
    assert!(html.contains("جدولة النشر"));
    let fields = form_fields(&html, "/admin/articles");
    assert!(fields.contains(&("published_at".into(), later.clone())));

    // Edits to what readers see: saved for them, the publication time as it was.
    let id = app.create_article_via_form(&[("title", "خبر منشور")]).await;
    let (_, form) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let at = attribute(&form, r#"name="published_at""#, "value")
        .unwrap()
        .to_owned();
    let (_, version) = crate::common::edit_fields(&form);
    let response = app
        .submit_article(
            "/admin/preview",
            &[
                ("article_id", &id.to_string()),
                ("version", &version),
                ("title", "خبر منشور، مصحح"),
                ("published_at", &at),
            ],
        )
        .await;
    let html = response.text().await.unwrap();
    assert!(html.contains("احفظ التعديل للقرّاء"));
    let fields = form_fields(&html, &format!("/admin/articles/{id}"));
    assert!(fields.contains(&("published_at".into(), at)));
}
