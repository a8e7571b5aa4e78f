//! The front page as the newsroom shapes it: a pinned lead, featured stories, the
//! breaking-news bar. Each change shows on the home page at once and is audited; what has
//! ended is gone by itself.

use sahifa::core::audit::AuditAction;
use sahifa::core::front_page::Breaking;
use sahifa::db::{audit, front_page};

use crate::common::{EDITOR_USER, TestApp, now, spawn_app};

/// The titles of the home page's lead, featured stories and list, in order.
async fn home(app: &TestApp) -> (String, Vec<String>, Vec<String>) {
    let (status, html) = app.get_html("/").await;
    assert_eq!(status, 200);
    let titles = |part: &str| -> Vec<String> {
        part.split("<h3><a href=\"/a/")
            .skip(1)
            .map(|rest| {
                let start = rest.find('>').unwrap() + 1;
                rest[start..start + rest[start..].find('<').unwrap()].to_owned()
            })
            .collect()
    };
    let lead = html
        .split("<h2 id=\"lead-title\"><a href=\"/a/")
        .nth(1)
        .map(|rest| {
            let start = rest.find('>').unwrap() + 1;
            rest[start..start + rest[start..].find('<').unwrap()].to_owned()
        })
        .unwrap_or_default();
    let featured = html
        .split("<section class=\"featured\"")
        .nth(1)
        .map(|rest| titles(rest.split("</section>").next().unwrap()))
        .unwrap_or_default();
    let list = titles(html.split("id=\"latest-heading\"").nth(1).unwrap());
    (lead, featured, list)
}

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let token = app.session_csrf().await;
    let mut form = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    app.post_form(path, &form).await
}

fn last_action(app: &TestApp) -> (AuditAction, String) {
    let entry = audit::newest(&mut app.conn(), None, None, 1, 0)
        .unwrap()
        .remove(0);
    assert_eq!(entry.username, EDITOR_USER);
    (entry.action.unwrap(), entry.target)
}

#[tokio::test]
async fn an_editor_pins_the_lead_and_features_stories() {
    let app = spawn_app().await;
    let t = now();
    let old = app.insert_article("خبر الأمس المهم", "published", t - 86_400);
    let a = app.insert_article("خبر أول", "published", t - 300);
    let b = app.insert_article("خبر ثان", "published", t - 200);
    let newest = app.insert_article("أحدث خبر", "published", t - 100);
    let draft = app.insert_article("مسودة", "draft", t - 50);
    app.login_as_editor().await;
    let (lead, featured, list) = home(&app).await;
    assert_eq!(lead, "أحدث خبر");
    assert!(featured.is_empty());
    assert_eq!(list, ["خبر ثان", "خبر أول", "خبر الأمس المهم"]);

    // Pinned: yesterday's story leads, the newest opens the list, nothing is lost.
    let response = post(
        &app,
        "/admin/front/lead",
        &[("article", &old.to_string()), ("hours", "")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let (lead, _, list) = home(&app).await;
    assert_eq!(lead, "خبر الأمس المهم");
    assert_eq!(list, ["أحدث خبر", "خبر ثان", "خبر أول"]);
    assert_eq!(
        last_action(&app),
        (
            AuditAction::FrontPageChanged,
            format!("lead: article {old}")
        )
    );

    // Featured under it, in the chosen order, and not repeated in the list.
    let response = post(
        &app,
        "/admin/front/featured",
        &[
            ("featured_1", &a.to_string()),
            ("featured_2", &newest.to_string()),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let (lead, featured, list) = home(&app).await;
    assert_eq!(lead, "خبر الأمس المهم");
    assert_eq!(featured, ["خبر أول", "أحدث خبر"]);
    assert_eq!(list, ["خبر ثان"]);

    // A draft can't be picked: the form comes back with the reason, nothing changes.
    let response = post(
        &app,
        "/admin/front/lead",
        &[("article", &draft.to_string())],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.unwrap().contains("غير منشور للقرّاء"));
    let too_many: Vec<String> = [a, b, newest, old, draft]
        .iter()
        .map(|id| id.to_string())
        .collect();
    let response = post(
        &app,
        "/admin/front/featured",
        &[
            ("featured_1", &too_many[0]),
            ("featured_2", &too_many[1]),
            ("featured_3", &too_many[2]),
            ("featured_4", &too_many[4]),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(home(&app).await.0, "خبر الأمس المهم");

    // Unpinned: the newest leads again.
    let response = post(&app, "/admin/front/lead/clear", &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(home(&app).await.0, "أحدث خبر");
    assert_eq!(last_action(&app).0, AuditAction::FrontPageChanged);

    // An unpublished pick simply leaves the page.
    let response = post(
        &app,
        "/admin/front/featured",
        &[("featured_1", &b.to_string())],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(home(&app).await.1, ["خبر ثان"]);
    let (_, form) = app.get_html(&format!("/admin/articles/{b}/edit")).await;
    let (token, version) = crate::common::edit_fields(&form);
    let response = app
        .submit_article(
            &format!("/admin/articles/{b}"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("title", "خبر ثان"),
                ("status", "draft"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(
        home(&app).await.1.is_empty(),
        "a draft is never on the front page"
    );
}

/// Polls the home page until `shows` says yes, for at most `seconds`.
async fn home_until(app: &TestApp, seconds: u64, shows: impl Fn(&str) -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while std::time::Instant::now() < deadline {
        if shows(&app.get_html("/").await.1) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

/// A server with the page caches a live site has (tests usually turn the list cache off):
/// what the newsroom changes must show through them at once.
async fn spawn_cached_app() -> TestApp {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = crate::common::test_settings(&dir);
    settings.list_page_ttl = sahifa::runtime::list_pages::LIST_PAGE_TTL;
    crate::common::spawn_app_with(settings, dir).await
}

#[tokio::test]
async fn the_breaking_bar_shows_everywhere_and_ends_by_itself() {
    let app = spawn_cached_app().await;
    let id = app.insert_article("خبر عن الحريق", "published", now() - 60);
    app.login_as_editor().await;
    let bar = "<strong class=\"breaking-label\">عاجل</strong>";
    assert!(!app.get_html("/").await.1.contains(bar));

    let link = format!("/a/{id}");
    let response = post(
        &app,
        "/admin/front/breaking",
        &[
            ("text", "حريق في سوق المدينة القديمة"),
            ("link", &link),
            ("minutes", "60"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    for page in ["/", &link, "/section/politics"] {
        let (_, html) = app.get_html(page).await;
        assert!(html.contains(bar), "{page}");
        assert!(html.contains(&format!(
            "<a href=\"{link}\">حريق في سوق المدينة القديمة</a>"
        )));
    }
    assert_eq!(last_action(&app).0, AuditAction::BreakingRaised);

    // Bad input: the form back with every field as typed.
    let response = post(
        &app,
        "/admin/front/breaking",
        &[
            ("text", "نص صحيح"),
            ("link", "javascript:alert(1)"),
            ("minutes", "60"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("value=\"نص صحيح\"") && html.contains("value=\"javascript:alert(1)\""));

    // Lowered by hand.
    let response = post(&app, "/admin/front/breaking/clear", &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(!app.get_html("/").await.1.contains(bar));
    assert_eq!(last_action(&app).0, AuditAction::BreakingLowered);

    // One that ends in four seconds (written straight to the database, as another
    // instance would: the form's shortest is half an hour) shows within the picks' and
    // the list cache's refresh, and is gone after its end, with nobody taking it down.
    let breaking = Breaking {
        text: "خبر عاجل قصير".into(),
        link: None,
        until: now() + 4,
    };
    front_page::set_breaking(&mut app.conn(), Some(&breaking)).unwrap();
    assert!(home_until(&app, 4, |html| html.contains("خبر عاجل قصير")).await);
    assert!(home_until(&app, 7, |html| !html.contains("خبر عاجل قصير")).await);
}

/// A lead pinned for a while gives the place back to the newest story when its time is up.
#[tokio::test]
async fn a_pinned_lead_ends_by_itself() {
    let app = spawn_cached_app().await;
    let old = app.insert_article("خبر مثبت لساعات", "published", now() - 86_400);
    app.insert_article("أحدث خبر", "published", now() - 60);
    let pin = sahifa::core::front_page::LeadPin {
        article: sahifa::core::ArticleId::from_db(old),
        until: Some(now() + 2),
    };
    front_page::set_lead(&mut app.conn(), Some(&pin)).unwrap();
    assert!(
        home_until(&app, 4, |html| html.contains("lead-title\"><a href=\"/a/")
            && home_lead_is(html, "خبر مثبت لساعات"))
        .await
    );
    assert!(home_until(&app, 6, |html| home_lead_is(html, "أحدث خبر")).await);
}

fn home_lead_is(html: &str, title: &str) -> bool {
    html.split("id=\"lead-title\"")
        .nth(1)
        .is_some_and(|rest| rest[..rest.find("</h2>").unwrap_or(0)].contains(title))
}

/// Only signed-in members with the form's token change the front page.
#[tokio::test]
async fn front_page_controls_need_a_member_and_the_token() {
    let app = spawn_app().await;
    let response = app.get("/admin/front").await;
    assert_eq!(response.status().as_u16(), 303);
    app.login_as_editor().await;
    let (status, html) = app.get_html("/admin/front").await;
    assert_eq!(status, 200);
    assert!(html.contains("شريط «عاجل»"));
    let response = app
        .post_form(
            "/admin/front/breaking",
            &[("csrf_token", "forged"), ("text", "x"), ("minutes", "60")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
}
