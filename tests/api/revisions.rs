//! Every save keeps a revision; two revisions compare word by word; restoring one saves it
//! again as a new revision, with the version check, and leaves the views alone.

use crate::common::{TestApp, edit_fields, spawn_app};

/// Saves the edit form of `id` with `changes` over what it shows.
async fn save_edit(app: &TestApp, id: i64, changes: &[(&str, &str)]) {
    let (_, form) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (token, version) = edit_fields(&form);
    let value = |name: &str| -> String {
        crate::common::attribute(&form, &format!("id=\"{name}\""), "value")
            .unwrap_or_default()
            .to_owned()
    };
    let textarea = |name: &str| -> String {
        form.split(&format!("id=\"{name}\""))
            .nth(1)
            .and_then(|rest| rest.split_once('>'))
            .and_then(|(_, rest)| rest.split("</textarea>").next())
            .unwrap_or_default()
            .to_owned()
    };
    let section = app.section_id("politics").to_string();
    let mut fields: Vec<(String, String)> = vec![
        ("csrf_token".into(), token),
        ("version".into(), version),
        ("title".into(), value("title")),
        ("summary".into(), textarea("summary")),
        ("body".into(), textarea("body")),
        ("section_id".into(), section),
        ("author".into(), value("author")),
        ("status".into(), "published".into()),
        ("published_at".into(), value("published_at")),
    ];
    for (name, new) in changes {
        for field in fields.iter_mut().filter(|(n, _)| n == name) {
            field.1 = (*new).to_owned();
        }
    }
    let response = app
        .client
        .post(format!("{}/admin/articles/{id}", app.address))
        .form(&fields)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 303, "saved");
}

fn revision_ids(html: &str) -> Vec<String> {
    html.split("name=\"to\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn saves_keep_revisions_that_compare_and_restore() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let id = app
        .create_article_via_form(&[
            ("title", "افتتاح الجسر الجديد في المدينة"),
            ("body", "افتتح المحافظ الجسر صباح الأحد."),
        ])
        .await;
    save_edit(&app, id, &[("body", "افتتح الوزير الجسر مساء الأحد.")]).await;
    save_edit(&app, id, &[("title", "افتتاح الجسر الكبير في المدينة")]).await;

    let (status, list) = app
        .get_html(&format!("/admin/articles/{id}/revisions"))
        .await;
    assert_eq!(status, 200);
    let revisions = revision_ids(&list);
    assert_eq!(revisions.len(), 3, "three saves, three revisions");
    assert!(list.contains("<bdi>omar</bdi>"), "who saved");

    // Readers visit; the count must survive the restore.
    for _ in 0..3 {
        app.get(&format!("/a/{id}")).await;
    }
    app.wait_until_flushed(id, 3).await;

    // The default comparison: the last change, the title.
    let (status, compare) = app
        .get_html(&format!("/admin/articles/{id}/revisions/compare"))
        .await;
    assert_eq!(status, 200);
    assert!(compare.contains("الجديد<span class=\"visually-hidden\">]</span></del>"));
    assert!(compare.contains("الكبير<span class=\"visually-hidden\">]</span></ins>"));

    // The first against the second: the changed words of the body, and only those.
    let (first, second) = (&revisions[2], &revisions[1]);
    let (_, compare) = app
        .get_html(&format!(
            "/admin/articles/{id}/revisions/compare?from={first}&to={second}"
        ))
        .await;
    let body_diff = compare
        .split("<h2>النص")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the body's difference");
    for removed in ["المحافظ", "صباح"] {
        assert!(
            body_diff.contains(&format!("</span>{removed}<span")),
            "{removed} removed"
        );
    }
    assert!(body_diff.contains("<del>") && body_diff.contains("<ins>"));
    assert!(!body_diff.contains("<del><span class=\"visually-hidden\">[حُذف: </span>الجسر"));
    assert!(compare.contains("العنوان <span class=\"hint\">(لم يتغيّر)</span>"));

    // Restore the first: readers see it, it is a fourth revision, the views stay.
    let token = crate::common::csrf_token(&list);
    let version = crate::common::attribute(&list, "name=\"version\"", "value")
        .expect("version")
        .to_owned();
    let restore = format!("/admin/articles/{id}/revisions/{first}/restore");
    let response = app
        .post_form(&restore, &[("csrf_token", &token), ("version", &version)])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(app.stored_views(id), 3, "the views were not restored away");
    let (_, page) = app.get_html(&format!("/a/{id}")).await;
    assert!(page.contains("افتتح المحافظ الجسر صباح الأحد."));
    assert!(page.contains("افتتاح الجسر الجديد في المدينة"));
    assert_eq!(
        crate::common::shown_views(&page),
        4,
        "counted on from there"
    );
    let (_, list) = app
        .get_html(&format!("/admin/articles/{id}/revisions"))
        .await;
    assert_eq!(revision_ids(&list).len(), 4);

    // The same restore again from the now stale page: refused, nothing changed.
    let response = app
        .post_form(&restore, &[("csrf_token", &token), ("version", &version)])
        .await;
    assert_eq!(response.status().as_u16(), 409);
    let (_, list) = app
        .get_html(&format!("/admin/articles/{id}/revisions"))
        .await;
    assert_eq!(revision_ids(&list).len(), 4);
}

/// The form shows the publication time to the minute; saving it unchanged keeps the stored
/// seconds (no article moves by up to 59 s because someone fixed a typo).
#[tokio::test]
async fn an_unchanged_minute_keeps_the_stored_publication_time() {
    let app = crate::common::spawn_app().await;
    app.login_as_admin().await;
    let published_at = crate::common::now() - 3 * 3600 + 17;
    let published_at = published_at - published_at.rem_euclid(60) + 17;
    let id = app.insert_article("خبر نُشر في الثانية السابعة عشرة", "published", published_at);
    let (_, form) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let shown = crate::common::attribute(&form, r#"name="published_at""#, "value").unwrap();
    assert_eq!(
        shown.len(),
        "2026-01-31T14:30".len(),
        "to the minute: {shown}"
    );
    assert!(
        form.contains("Asia/Damascus، UTC+03:00"),
        "the zone is named"
    );
    let (token, version) = crate::common::edit_fields(&form);
    let section = app.section_id("politics").to_string();
    let save = |version: String, at: String| {
        let (token, section, app) = (token.clone(), section.clone(), &app);
        async move {
            let response = app
                .post_form(
                    &format!("/admin/articles/{id}"),
                    &[
                        ("csrf_token", token.as_str()),
                        ("version", &version),
                        ("title", "خبر نُشر في الثانية السابعة عشرة، مصححًا"),
                        ("summary", ""),
                        ("body", "نص الخبر."),
                        ("section_id", &section),
                        ("author", "محرر"),
                        ("status", "published"),
                        ("published_at", &at),
                    ],
                )
                .await;
            assert_eq!(response.status().as_u16(), 303);
        }
    };
    save(version, shown.to_owned()).await;
    let stored = |app: &crate::common::TestApp| {
        sahifa::db::articles::find_editable(&mut app.conn(), sahifa::core::ArticleId::from_db(id))
            .unwrap()
            .unwrap()
    };
    assert_eq!(stored(&app).published_at, published_at, "seconds kept");
    // Another minute is a real change: to that minute.
    let (_, form) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (_, version) = crate::common::edit_fields(&form);
    let earlier =
        sahifa::core::article::format_local_datetime(published_at - 120, chrono_tz::Asia::Damascus);
    save(version, earlier).await;
    assert_eq!(stored(&app).published_at, published_at - 17 - 120);
}
