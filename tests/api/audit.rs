//! The audit log: each action of the newsroom leaves exactly one entry naming who, what and
//! on what; only admins read it, and nothing on the web changes it.

use sahifa::core::audit::{AuditAction, AuditEntry};
use sahifa::db::audit;

use crate::common::{ADMIN_USER, TestApp, csrf_token, edit_fields, now, spawn_app};

fn entries(app: &TestApp) -> Vec<AuditEntry> {
    let mut entries = audit::newest(&mut app.conn(), None, None, 1000, 0).expect("entries");
    entries.reverse();
    entries
}

/// The entries added by `act`.
async fn added<F: std::future::Future<Output = ()>>(app: &TestApp, act: F) -> Vec<AuditEntry> {
    let before = entries(app).len();
    act.await;
    entries(app).split_off(before)
}

fn one(entries: &[AuditEntry], action: AuditAction, user: &str, target: &str) {
    assert_eq!(
        entries.len(),
        1,
        "exactly one entry for {action:?}: {entries:?}"
    );
    let entry = &entries[0];
    assert_eq!(entry.action, Some(action));
    assert_eq!(entry.username, user);
    assert!(
        entry.target.starts_with(target),
        "{:?} on {target}",
        entry.target
    );
    assert_eq!(entry.address, "127.0.0.1");
}

async fn save(app: &TestApp, id: i64, status: &str, published_at: &str) {
    let (_, form) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (token, version) = edit_fields(&form);
    let section = app.section_id("politics").to_string();
    let response = app
        .post_form(
            &format!("/admin/articles/{id}"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("title", "خبر يمرّ بكل الحالات"),
                ("summary", ""),
                ("body", "نص الخبر."),
                ("section_id", &section),
                ("author", ""),
                ("status", status),
                ("published_at", published_at),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
}

#[tokio::test]
async fn every_action_leaves_one_entry_with_who_and_what() {
    let app = spawn_app().await;
    app.create_user(ADMIN_USER, crate::common::ADMIN_PASSWORD, "admin")
        .await;
    let failed = added(&app, async {
        let response = app.login("nobody", "not the password at all").await;
        assert_eq!(response.status().as_u16(), 200);
    })
    .await;
    one(&failed, AuditAction::SignInFailed, "nobody", "");
    let signed_in = added(&app, async {
        let response = app.login(ADMIN_USER, crate::common::ADMIN_PASSWORD).await;
        assert_eq!(response.status().as_u16(), 303);
    })
    .await;
    one(&signed_in, AuditAction::SignIn, ADMIN_USER, "");

    let mut id = 0;
    let created = added(&app, async {
        id = app.create_article_via_form(&[("status", "draft")]).await;
    })
    .await;
    let target = format!("article {id}");
    one(&created, AuditAction::ArticleCreated, ADMIN_USER, &target);
    let published = added(&app, save(&app, id, "published", "")).await;
    one(
        &published,
        AuditAction::ArticlePublished,
        ADMIN_USER,
        &target,
    );
    let edited = added(&app, save(&app, id, "published", "")).await;
    one(&edited, AuditAction::ArticleEdited, ADMIN_USER, &target);
    let unpublished = added(&app, save(&app, id, "draft", "")).await;
    one(
        &unpublished,
        AuditAction::ArticleUnpublished,
        ADMIN_USER,
        &target,
    );
    let later = chrono::DateTime::from_timestamp(now() + 3 * 86400, 0)
        .expect("a time")
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let scheduled = added(&app, save(&app, id, "published", &later)).await;
    one(
        &scheduled,
        AuditAction::ArticleScheduled,
        ADMIN_USER,
        &target,
    );

    let (_, revisions) = app
        .get_html(&format!("/admin/articles/{id}/revisions"))
        .await;
    let first = revisions
        .rsplit("name=\"to\" value=\"")
        .next()
        .and_then(|rest| rest.split('"').next())
        .expect("the first revision")
        .to_owned();
    let version = crate::common::attribute(&revisions, "name=\"version\"", "value")
        .expect("version")
        .to_owned();
    let restored = added(&app, async {
        let response = app
            .post_form(
                &format!("/admin/articles/{id}/revisions/{first}/restore"),
                &[
                    ("csrf_token", &csrf_token(&revisions)),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    })
    .await;
    one(&restored, AuditAction::ArticleRestored, ADMIN_USER, &target);

    let deleted = added(&app, async {
        let token = app.session_csrf().await;
        let response = app
            .post_form(
                &format!("/admin/articles/{id}/delete"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    })
    .await;
    one(&deleted, AuditAction::ArticleDeleted, ADMIN_USER, &target);

    let section = added(&app, async {
        let token = app.session_csrf().await;
        let response = app
            .post_form(
                "/admin/sections",
                &[("csrf_token", &token), ("name", "رياضة"), ("slug", "sport")],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    })
    .await;
    one(
        &section,
        AuditAction::SectionCreated,
        ADMIN_USER,
        "section sport",
    );
    let sport = app.section_id("sport");
    let renamed = added(&app, async {
        let token = app.session_csrf().await;
        let response = app
            .post_form(
                &format!("/admin/sections/{sport}"),
                &[("csrf_token", &token), ("name", "الرياضة")],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    })
    .await;
    one(
        &renamed,
        AuditAction::SectionRenamed,
        ADMIN_USER,
        &format!("section {sport}"),
    );
    let removed = added(&app, async {
        let token = app.session_csrf().await;
        let response = app
            .post_form(
                &format!("/admin/sections/{sport}/delete"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    })
    .await;
    one(
        &removed,
        AuditAction::SectionDeleted,
        ADMIN_USER,
        &format!("section {sport}"),
    );

    let user = added(&app, async {
        let token = app.session_csrf().await;
        let response = app
            .post_form(
                "/admin/users",
                &[
                    ("csrf_token", &token),
                    ("username", "layla"),
                    ("password", "a password long enough"),
                    ("role", "editor"),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    })
    .await;
    one(&user, AuditAction::UserSet, ADMIN_USER, "user layla");

    // The page: admins read it, filtered by action.
    let (status, page) = app.get_html("/admin/audit?action=article_scheduled").await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("<td>جدولة خبر</td>").count(), 1);
    assert!(!page.contains("<td>تسجيل دخول</td>"));
    let (_, page) = app
        .get_html(&format!("/admin/audit?user={ADMIN_USER}"))
        .await;
    assert!(page.contains("<td>حذف خبر</td>"));
    assert!(!page.contains("<bdi>nobody</bdi>"));

    let signed_out = added(&app, async {
        let token = app.session_csrf().await;
        let response = app
            .post_form("/admin/logout", &[("csrf_token", &token)])
            .await;
        assert_eq!(response.status().as_u16(), 303);
    })
    .await;
    one(&signed_out, AuditAction::SignOut, ADMIN_USER, "");
}

#[tokio::test]
async fn only_admins_read_the_log_and_nothing_edits_it() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    assert_eq!(app.get("/admin/audit").await.status().as_u16(), 403);
    let token = app.session_csrf().await;
    for path in ["/admin/audit", "/admin/audit/1", "/admin/audit/1/delete"] {
        let response = app.post_form(path, &[("csrf_token", &token)]).await;
        assert!(
            (403..=405).contains(&response.status().as_u16()),
            "POST {path}: {}",
            response.status()
        );
    }
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_at_once_and_cannot_sign_in() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let editor = app.with_new_browser();
    editor.login_as_editor().await;
    assert_eq!(editor.get("/admin").await.status().as_u16(), 200);
    let id = sahifa::db::users::find_by_username(&mut app.conn(), crate::common::EDITOR_USER)
        .unwrap()
        .expect("the editor")
        .id;

    let token = app.session_csrf().await;
    let response = app
        .post_form(
            &format!("/admin/users/{id}/disable"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    // The open session is gone at once; signing in fails like a wrong password.
    assert_eq!(editor.get("/admin").await.status().as_u16(), 303);
    let response = editor
        .login(crate::common::EDITOR_USER, crate::common::EDITOR_PASSWORD)
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.text().await.unwrap().contains("غير صحيحة"));
    let (_, users) = app.get_html("/admin/users").await;
    assert!(users.contains(&format!("/admin/users/{id}/enable")));

    // Enabled again, the editor signs in.
    let response = app
        .post_form(
            &format!("/admin/users/{id}/enable"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let response = editor
        .login(crate::common::EDITOR_USER, crate::common::EDITOR_PASSWORD)
        .await;
    assert_eq!(response.status().as_u16(), 303);

    // The log has both, by the admin, on the editor.
    let log = audit::newest(&mut app.conn(), None, Some(ADMIN_USER), 100, 0).unwrap();
    let on_editor = |action| {
        log.iter()
            .filter(|e| {
                e.action == Some(action)
                    && e.target == format!("user {}", crate::common::EDITOR_USER)
            })
            .count()
    };
    assert_eq!(on_editor(AuditAction::UserDisabled), 1);
    assert_eq!(on_editor(AuditAction::UserEnabled), 1);

    // Nobody disables their own account.
    let admin_id = sahifa::db::users::find_by_username(&mut app.conn(), ADMIN_USER)
        .unwrap()
        .expect("the admin")
        .id;
    let response = app
        .post_form(
            &format!("/admin/users/{admin_id}/disable"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 409);
    assert_eq!(app.get("/admin").await.status().as_u16(), 200);
    // Editors cannot disable anyone.
    let editor_token = editor.session_csrf().await;
    let response = editor
        .post_form(
            &format!("/admin/users/{admin_id}/disable"),
            &[("csrf_token", &editor_token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
}

/// Posts the reset page's form as a browser does: its token, the password twice.
async fn choose_password(app: &TestApp, link: &str, password: &str, repeat: &str) -> u16 {
    let (_, page) = app.get_html(link).await;
    let response = app
        .post_form(
            link,
            &[
                ("csrf_token", &csrf_token(&page)),
                ("password", password),
                ("repeat", repeat),
            ],
        )
        .await;
    response.status().as_u16()
}

#[tokio::test]
async fn a_reset_link_works_once_within_the_hour_and_ends_the_sessions() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let editor = app.with_new_browser();
    editor.login_as_editor().await;
    let id = sahifa::db::users::find_by_username(&mut app.conn(), crate::common::EDITOR_USER)
        .unwrap()
        .expect("the editor")
        .id;
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            &format!("/admin/users/{id}/reset"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.unwrap();
    let link = crate::common::attribute(&page, "id=\"reset-link\"", "value")
        .expect("the link")
        .to_owned();
    let path = link
        .strip_prefix(&app.address)
        .expect("a link to this site")
        .to_owned();
    let token_hash = sahifa::core::token::hash_token(path.rsplit('/').next().unwrap());
    assert_eq!(
        sahifa::db::password_resets::valid_owner(&mut app.conn(), &token_hash, now()).unwrap(),
        Some(id),
        "only the hash is kept, and it names the editor"
    );

    // Someone else's browser opens it: mistakes are refused and use nothing up.
    let stranger = app.with_new_browser();
    assert_eq!(
        choose_password(&stranger, &path, "short", "short").await,
        422
    );
    assert_eq!(
        choose_password(
            &stranger,
            &path,
            "a brand new long password",
            "another one entirely"
        )
        .await,
        422
    );
    let new_password = "a brand new long password";
    assert_eq!(
        choose_password(&stranger, &path, new_password, new_password).await,
        303
    );

    // Every session of the editor ended; the new password signs in, the old does not.
    assert_eq!(editor.get("/admin").await.status().as_u16(), 303);
    let old = editor
        .login(crate::common::EDITOR_USER, crate::common::EDITOR_PASSWORD)
        .await;
    assert_eq!(old.status().as_u16(), 200);
    assert_eq!(
        editor
            .login(crate::common::EDITOR_USER, new_password)
            .await
            .status()
            .as_u16(),
        303
    );
    // Once only.
    let (status, page) = stranger.get_html(&path).await;
    assert_eq!(status, 410);
    assert!(page.contains("هذا الرابط لا يصلح"));

    // An hour-old link is no link.
    let old_hash = sahifa::core::token::hash_token("an-old-token");
    sahifa::db::password_resets::create(&mut app.conn(), &old_hash, id, now() - 3601).unwrap();
    assert_eq!(
        stranger
            .get("/admin/reset/an-old-token")
            .await
            .status()
            .as_u16(),
        410
    );

    let log = audit::newest(&mut app.conn(), None, None, 100, 0).unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.action == Some(AuditAction::PasswordResetIssued))
            .count(),
        1
    );
    let reset: Vec<_> = log
        .iter()
        .filter(|e| e.action == Some(AuditAction::PasswordReset))
        .collect();
    assert_eq!(reset.len(), 1);
    assert_eq!(reset[0].username, crate::common::EDITOR_USER);
    // Editors cannot make links.
    let editor_token = editor.session_csrf().await;
    let response = editor
        .post_form(
            &format!("/admin/users/{id}/reset"),
            &[("csrf_token", &editor_token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn a_display_name_signs_the_members_new_articles() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let editor = app.with_new_browser();
    editor.login_as_editor().await;
    let id = sahifa::db::users::find_by_username(&mut app.conn(), crate::common::EDITOR_USER)
        .unwrap()
        .expect("the editor")
        .id;
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            &format!("/admin/users/{id}/name"),
            &[("csrf_token", &token), ("display_name", "  عمر الحلبي  ")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, form) = editor.get_html("/admin/articles/new").await;
    assert_eq!(
        crate::common::attribute(&form, "id=\"author\"", "value"),
        Some("عمر الحلبي")
    );
    let article = editor.create_article_via_form(&[("author", "")]).await;
    let (_, page) = editor.get_html(&format!("/a/{article}")).await;
    assert!(
        page.contains("rel=\"author\"><bdi>عمر الحلبي</bdi></a>"),
        "an empty author is the byline"
    );

    let too_long = "ا".repeat(101);
    let response = app
        .post_form(
            &format!("/admin/users/{id}/name"),
            &[("csrf_token", &token), ("display_name", &too_long)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let log = audit::newest(
        &mut app.conn(),
        Some(AuditAction::DisplayNameSet),
        None,
        10,
        0,
    )
    .unwrap();
    assert_eq!(log.len(), 1);
    assert!(log[0].target.ends_with("عمر الحلبي"));
}

#[tokio::test]
async fn an_account_is_deleted_only_if_it_never_wrote() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    app.create_user("idle", "a long enough password", "editor")
        .await;
    let writer = app.with_new_browser();
    writer.login_as_editor().await;
    writer.create_article_via_form(&[]).await;
    let id_of = |name: &str| {
        sahifa::db::users::find_by_username(&mut app.conn(), name)
            .unwrap()
            .expect("the account")
            .id
    };
    let (idle, omar) = (id_of("idle"), id_of(crate::common::EDITOR_USER));
    let token = app.session_csrf().await;
    let response = app
        .post_form(
            &format!("/admin/users/{omar}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(
        response.status().as_u16(),
        409,
        "it wrote: disable it instead"
    );
    assert!(response.text().await.unwrap().contains("فعطّله بدل حذفه"));
    let response = app
        .post_form(
            &format!("/admin/users/{idle}/delete"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(
        sahifa::db::users::find_by_username(&mut app.conn(), "idle")
            .unwrap()
            .is_none()
    );
    let log = audit::newest(&mut app.conn(), Some(AuditAction::UserDeleted), None, 10, 0).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].target, "user idle");
}
