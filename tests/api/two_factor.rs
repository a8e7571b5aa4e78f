//! Two-factor sign-in over HTTP: enrolment with a known secret (read off the account page),
//! codes computed as an authenticator app would at a fixed moment, each good once;
//! recovery codes good once; wrong codes throttled like wrong passwords; `--require-2fa`.

use sahifa::core::audit::AuditAction;
use sahifa::core::two_factor::{STEP_SECONDS, TotpSecret};
use sahifa::db::audit;

use crate::common::{
    ADMIN_PASSWORD, ADMIN_USER, EDITOR_PASSWORD, EDITOR_USER, TestApp, attribute, csrf_token, now,
    spawn_app, spawn_app_with, test_settings,
};

/// The code the member's app shows `offset` seconds from now.
fn code(secret: &TotpSecret, offset: i64) -> String {
    secret.code_at((now() + offset) as u64)
}

/// Six digits that are none of the codes the server would take around now.
fn wrong_code(secret: &TotpSecret) -> String {
    let taken: Vec<String> = [-60, -30, 0, 30, 60]
        .iter()
        .map(|o| code(secret, *o))
        .collect();
    ["000000", "111111", "222222"]
        .into_iter()
        .find(|candidate| !taken.iter().any(|t| t == candidate))
        .expect("a code that is not taken")
        .to_owned()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// Sets up two factors for the signed-in member of `app`: their secret and the recovery
/// codes shown once. The code used is the one of this moment.
async fn enrol(app: &TestApp) -> (TotpSecret, Vec<String>) {
    let (status, page) = app.get_html("/admin/account").await;
    assert_eq!(status, 200);
    let secret = attribute(&page, r#"name="secret""#, "value").expect("secret field");
    let signature = attribute(&page, r#"name="signature""#, "value").expect("signature");
    assert!(
        page.contains("data:image/svg+xml;base64,"),
        "the QR code is drawn"
    );
    let secret = TotpSecret::parse(secret).expect("a base32 secret");
    let response = app
        .post_form(
            "/admin/account/two-factor",
            &[
                ("csrf_token", &csrf_token(&page)),
                ("secret", secret.as_str()),
                ("signature", signature),
                ("code", &code(&secret, 0)),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let shown = response.text().await.unwrap();
    let codes: Vec<String> = shown
        .split("<li><code>")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "ten recovery codes shown once: {shown}");
    (secret, codes)
}

/// Signs in with the password in a new browser; the response that asks for the code.
async fn password_step(app: &TestApp, user: &str, password: &str) -> TestApp {
    let browser = app.with_new_browser();
    let response = browser.login(user, password).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/admin/login/code?next=%2Fadmin");
    assert!(
        !response
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("sahifa_session=")),
        "no session before the code"
    );
    browser
}

async fn send_code(browser: &TestApp, typed: &str) -> reqwest::Response {
    let (status, page) = browser.get_html("/admin/login/code").await;
    assert_eq!(status, 200, "the code form");
    browser
        .post_form(
            "/admin/login/code",
            &[
                ("csrf_token", &csrf_token(&page)),
                ("code", typed),
                ("next", "/admin"),
            ],
        )
        .await
}

async fn signed_in(browser: &TestApp) -> bool {
    browser.get("/admin").await.status().as_u16() == 200
}

#[tokio::test]
async fn a_code_from_the_app_signs_in_once_and_a_recovery_code_once() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let (secret, recovery) = enrol(&app).await;
    let enabled = audit::newest(
        &mut app.conn(),
        Some(AuditAction::TwoFactorEnabled),
        None,
        10,
        0,
    )
    .unwrap();
    assert_eq!(enabled.len(), 1);
    assert_eq!(enabled[0].username, ADMIN_USER);

    // The password alone is not enough any more.
    let browser = password_step(&app, ADMIN_USER, ADMIN_PASSWORD).await;
    assert!(!signed_in(&browser).await);
    // The code enrolment used can't be used again.
    let replayed = send_code(&browser, &code(&secret, 0)).await;
    assert_eq!(replayed.status().as_u16(), 200);
    assert!(
        replayed
            .text()
            .await
            .unwrap()
            .contains("الرمز غير صحيح أو مستعمل")
    );
    assert!(!signed_in(&browser).await);
    // The next one works, typed as a phone keyboard may type it.
    let next_code: String = code(&secret, STEP_SECONDS as i64)
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + 0x0660).unwrap())
        .collect();
    let response = send_code(&browser, &next_code).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/admin");
    assert!(signed_in(&browser).await);

    // The same code in another browser: refused.
    let thief = password_step(&app, ADMIN_USER, ADMIN_PASSWORD).await;
    let response = send_code(&thief, &code(&secret, STEP_SECONDS as i64)).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(!signed_in(&thief).await);

    // A recovery code works once, in capitals or not.
    let lost_phone = password_step(&app, ADMIN_USER, ADMIN_PASSWORD).await;
    let response = send_code(&lost_phone, &recovery[3].to_uppercase()).await;
    assert_eq!(response.status().as_u16(), 303);
    assert!(signed_in(&lost_phone).await);
    let again = password_step(&app, ADMIN_USER, ADMIN_PASSWORD).await;
    send_code(&again, &recovery[3]).await;
    assert!(!signed_in(&again).await, "a recovery code is good once");
    let (_, account) = lost_phone.get_html("/admin/account").await;
    assert!(account.contains("بقي لك 9 من رموز الاسترداد"), "{account}");

    let sign_ins = audit::newest(&mut app.conn(), Some(AuditAction::SignIn), None, 10, 0).unwrap();
    assert!(
        sign_ins
            .iter()
            .any(|e| e.target.contains("برمز استرداد (بقي 9)"))
    );
    let failures = audit::newest(
        &mut app.conn(),
        Some(AuditAction::SignInFailed),
        None,
        10,
        0,
    )
    .unwrap();
    assert_eq!(
        failures.len(),
        3,
        "each wrong code is on record: {failures:?}"
    );
    assert!(
        failures
            .iter()
            .all(|e| e.target == "رمز التحقق" && e.username == ADMIN_USER)
    );
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let (secret, _) = enrol(&app).await;
    let browser = password_step(&app, ADMIN_USER, ADMIN_PASSWORD).await;
    let wrong = wrong_code(&secret);
    for _ in 0..5 {
        let response = send_code(&browser, &wrong).await;
        assert_eq!(response.status().as_u16(), 200);
    }
    // Locked out, even with the right code now, and the password step too.
    let response = send_code(&browser, &code(&secret, STEP_SECONDS as i64)).await;
    assert_eq!(response.status().as_u16(), 429);
    assert!(response.headers().contains_key("retry-after"));
    assert!(!signed_in(&browser).await);
    let response = app
        .with_new_browser()
        .login(ADMIN_USER, ADMIN_PASSWORD)
        .await;
    assert_eq!(response.status().as_u16(), 429);
}

#[tokio::test]
async fn the_code_form_needs_the_password_step_first() {
    let app = spawn_app().await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    let response = app.get("/admin/login/code").await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), "/admin/login");

    // A made-up challenge cookie naming the admin gets nowhere (sent by hand, beside a
    // real login form's nonce).
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = plain
        .get(format!("{}/admin/login", app.address))
        .send()
        .await
        .unwrap();
    let nonce = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("sahifa_login="))
        .expect("login nonce cookie");
    let form = login.text().await.unwrap();
    let forged = plain
        .post(format!("{}/admin/login/code", app.address))
        .header(
            "cookie",
            format!("{nonce}; sahifa_2fa=1.{}.{}", now(), "ab".repeat(32)),
        )
        .form(&[
            ("csrf_token", csrf_token(&form).as_str()),
            ("code", "123456"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 303);
    assert_eq!(location(&forged), "/admin/login");
}

#[tokio::test]
async fn enrolment_takes_only_the_secret_it_showed_and_a_right_code() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let (_, page) = app.get_html("/admin/account").await;
    let shown = TotpSecret::parse(attribute(&page, r#"name="secret""#, "value").unwrap()).unwrap();
    let signature = attribute(&page, r#"name="signature""#, "value").unwrap();
    let token = csrf_token(&page);

    // A wrong code: the same key comes back (the app already has it), nothing is on.
    let response = app
        .post_form(
            "/admin/account/two-factor",
            &[
                ("csrf_token", &token),
                ("secret", shown.as_str()),
                ("signature", signature),
                ("code", &wrong_code(&shown)),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let again = response.text().await.unwrap();
    assert_eq!(
        attribute(&again, r#"name="secret""#, "value"),
        Some(shown.as_str())
    );

    // A key of someone else's choosing, with its right code: refused.
    let chosen = TotpSecret::generate();
    let response = app
        .post_form(
            "/admin/account/two-factor",
            &[
                ("csrf_token", &token),
                ("secret", chosen.as_str()),
                ("signature", signature),
                ("code", &code(&chosen, 0)),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    let (_, account) = app.get_html("/admin/account").await;
    assert!(account.contains(r#"name="secret""#), "still off");
}

#[tokio::test]
async fn turning_it_off_takes_a_code_and_an_admin_can_for_a_member() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let (secret, _) = enrol(&app).await;
    let (_, account) = app.get_html("/admin/account").await;
    let token = csrf_token(&account);
    let off = |typed: String| {
        let token = token.clone();
        let app = &app;
        async move {
            app.post_form(
                "/admin/account/two-factor/off",
                &[("csrf_token", &token), ("code", &typed)],
            )
            .await
        }
    };
    assert_eq!(off(wrong_code(&secret)).await.status().as_u16(), 422);
    let response = off(code(&secret, STEP_SECONDS as i64)).await;
    assert_eq!(response.status().as_u16(), 303);
    let browser = app.with_new_browser();
    assert_eq!(
        browser
            .login(ADMIN_USER, ADMIN_PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
    assert!(signed_in(&browser).await, "the password alone again");

    // An editor who lost their phone: an admin turns it off for them.
    let editor = app.with_new_browser();
    editor.login_as_editor().await;
    enrol(&editor).await;
    password_step(&app, EDITOR_USER, EDITOR_PASSWORD).await;
    let (_, users) = app.get_html("/admin/users").await;
    let editor_id = sahifa::db::users::find_by_username(&mut app.conn(), EDITOR_USER)
        .unwrap()
        .unwrap()
        .id;
    let response = app
        .post_form(
            &format!("/admin/users/{editor_id}/two-factor/off"),
            &[("csrf_token", &csrf_token(&users))],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let back = app.with_new_browser();
    assert_eq!(
        back.login(EDITOR_USER, EDITOR_PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
    assert!(signed_in(&back).await);
    let log = audit::newest(
        &mut app.conn(),
        Some(AuditAction::TwoFactorDisabled),
        None,
        10,
        0,
    )
    .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].target, format!("user {EDITOR_USER}"));
    assert_eq!(
        (log[1].username.as_str(), log[1].target.as_str()),
        (ADMIN_USER, "")
    );
}

#[tokio::test]
async fn with_require_2fa_an_admin_sets_it_up_before_anything_else() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.require_two_factor = true;
    let app = spawn_app_with(settings, dir).await;
    app.login_as_admin().await;
    for path in ["/admin", "/admin/articles/new", "/admin/users"] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 303, "{path}");
        assert_eq!(location(&response), "/admin/account");
    }
    let (status, account) = app.get_html("/admin/account").await;
    assert_eq!(status, 200);
    assert!(account.contains("يطلب هذا الموقع من المديرين الدخول بخطوتين"));
    // Editors are not asked.
    let editor = app.with_new_browser();
    editor.login_as_editor().await;
    assert!(signed_in(&editor).await);

    enrol(&app).await;
    assert!(signed_in(&app).await, "set up: the newsroom opens");
}

#[tokio::test]
async fn renewing_recovery_codes_takes_a_code_and_retires_the_old_ones() {
    let app = spawn_app().await;
    app.login_as_admin().await;
    let (secret, old) = enrol(&app).await;
    let (_, account) = app.get_html("/admin/account").await;
    let token = csrf_token(&account);
    let renew = |typed: String| {
        let token = token.clone();
        let app = &app;
        async move {
            app.post_form(
                "/admin/account/two-factor/codes",
                &[("csrf_token", &token), ("code", &typed)],
            )
            .await
        }
    };
    assert_eq!(renew(wrong_code(&secret)).await.status().as_u16(), 422);
    let response = renew(code(&secret, STEP_SECONDS as i64)).await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.unwrap();
    let new: Vec<String> = page
        .split("<li><code>")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(new.len(), 10);
    assert!(new.iter().all(|code| !old.contains(code)));
    let renewed = audit::newest(
        &mut app.conn(),
        Some(AuditAction::RecoveryCodesRenewed),
        None,
        10,
        0,
    )
    .unwrap();
    assert_eq!(renewed.len(), 1);

    let with_old = password_step(&app, ADMIN_USER, ADMIN_PASSWORD).await;
    send_code(&with_old, &old[0]).await;
    assert!(!signed_in(&with_old).await, "old codes are retired");
    let with_new = password_step(&app, ADMIN_USER, ADMIN_PASSWORD).await;
    send_code(&with_new, &new[0]).await;
    assert!(signed_in(&with_new).await);
}
