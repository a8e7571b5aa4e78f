//! The `sahifa` binary itself: options, exit codes, and a graceful stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use sahifa::core::ArticleId;
use sahifa::core::password;
use sahifa::core::user::Role;
use sahifa::db::{Database, articles, users};

use crate::common::{EDITOR_PASSWORD, EDITOR_USER};

pub(super) fn sahifa() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sahifa"));
    for var in [
        "SAHIFA_BIND",
        "SAHIFA_DATABASE",
        "SAHIFA_BASE_URL",
        "SAHIFA_TIMEZONE",
        "SAHIFA_DEMO",
    ] {
        command.env_remove(var);
    }
    command.env("RUST_LOG", "info").env("NO_COLOR", "1");
    command
}

#[test]
fn help_explains_every_option() {
    let output = sahifa().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for option in [
        "--bind",
        "--database",
        "--base-url",
        "--timezone",
        "--no-demo",
        "SAHIFA_BIND",
        "SAHIFA_DATABASE",
        "SAHIFA_TIMEZONE",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
}

#[test]
fn bad_settings_exit_with_status_2_and_name_the_option() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("x.db");
    let db = db.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--timezone", "Mars/Olympus", "--database", db],
            "--timezone",
        ),
        (&["--bind", "not-an-address", "--database", db], "--bind"),
        (
            &[
                "--database",
                "/nonexistent-folder/sahifa.db",
                "--bind",
                "127.0.0.1:0",
            ],
            "--database",
        ),
        (
            &["--base-url", "news.example", "--database", db],
            "--base-url",
        ),
    ];
    for (args, option) in cases {
        let output = sahifa().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(option), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn sigterm_saves_pending_views_before_exiting() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("sahifa.db");
    let mut server = sahifa()
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--database",
            db.to_str().unwrap(),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(server.stderr.take().unwrap());
    let base = loop {
        let mut line = String::new();
        assert!(
            log.read_line(&mut line).unwrap() > 0,
            "server exited before serving"
        );
        if let Some(at) = line.find("open http://") {
            break line[at + 5..].trim().trim_end_matches('/').to_owned();
        }
    };
    // Keep reading the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in log.lines() {});

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let article = runtime.block_on(async {
        let home = reqwest::get(format!("{base}/"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = home.find("/a/").expect("demo article on the home page");
        let id: String = home[at + 3..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        for _ in 0..5 {
            let response = reqwest::get(format!("{base}/a/{id}")).await.unwrap();
            assert_eq!(response.status().as_u16(), 200);
        }
        id
    });

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut waited = Duration::ZERO;
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(waited < Duration::from_secs(20), "server did not stop");
        std::thread::sleep(Duration::from_millis(50));
        waited += Duration::from_millis(50);
    };
    assert!(status.success(), "graceful exit: {status:?}");

    let db = Database::open_file(&db).unwrap();
    let id = ArticleId::parse(&article).unwrap();
    let views = articles::stored_views(&mut db.conn().unwrap(), id)
        .unwrap()
        .unwrap();
    assert_eq!(views, 5);
}

pub(super) fn create_user(
    kind: &str,
    db: &std::path::Path,
    username: &str,
    password: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut child = sahifa()
        .args([kind, username, "--database", db.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\nignored second line\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn create_admin_reads_the_password_from_standard_input() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("sahifa.db");
    let output = create_user("create-admin", &path, "hala", "كلمة مرور طويلة جدًا");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("created admin 'hala'"));

    let db = Database::open_file(&path).unwrap();
    let (user, password_hash) = users::find_with_password_hash(&mut db.conn().unwrap(), "hala")
        .unwrap()
        .expect("user exists");
    assert_eq!(user.role, Role::Admin);
    assert!(password_hash.starts_with("$argon2id$"));
    assert!(!password_hash.contains("طويلة"));
    assert!(password::verify(
        "كلمة مرور طويلة جدًا",
        Some(&password_hash)
    ));

    // Again: a new password for the same user.
    let output = create_user("create-admin", &path, "hala", "another password of length");
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("new password"));
    let (_, password_hash) = users::find_with_password_hash(&mut db.conn().unwrap(), "hala")
        .unwrap()
        .unwrap();
    assert!(password::verify(
        "another password of length",
        Some(&password_hash)
    ));

    let output = create_user("create-editor", &path, "sami", "an editor's password");
    assert!(output.status.success());
    let user = users::find_by_username(&mut db.conn().unwrap(), "sami")
        .unwrap()
        .unwrap();
    assert_eq!(user.role, Role::Editor);
}

#[test]
fn create_admin_refuses_a_short_or_huge_password_with_status_2() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("sahifa.db");
    for password in ["short".to_owned(), "x".repeat(129)] {
        let output = create_user("create-admin", &db, "hala", &password);
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("password is too"), "{stderr}");
    }
}

/// Starts the binary on a free port, returns it and its base URL, with the log lines read
/// up to the "open" line.
pub(super) fn start_server(db: &std::path::Path) -> (std::process::Child, String, Vec<String>) {
    let mut server = sahifa()
        .args(["--bind", "127.0.0.1:0", "--database", db.to_str().unwrap()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(server.stderr.take().unwrap());
    let mut lines = Vec::new();
    let base = loop {
        let mut line = String::new();
        assert!(
            log.read_line(&mut line).unwrap() > 0,
            "server exited: {lines:?}"
        );
        lines.push(line.clone());
        if let Some(at) = line.find("open http://") {
            break line[at + 5..].trim().trim_end_matches('/').to_owned();
        }
    };
    std::thread::spawn(move || for _ in log.lines() {});
    (server, base, lines)
}

pub(super) fn stop(mut server: std::process::Child) {
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    server.wait().unwrap();
}

#[test]
fn first_start_prints_a_working_admin_password_once() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("sahifa.db");
    let (server, base, lines) = start_server(&db);
    let line = lines
        .iter()
        .find(|l| l.contains("password '"))
        .expect("first start prints the admin password");
    assert!(line.contains(&format!("{base}/admin/login")), "{line}");
    let password = line
        .split("password '")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_owned();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let form = client
            .get(format!("{base}/admin/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = form.find(r#"name="csrf_token" value=""#).unwrap()
            + r#"name="csrf_token" value=""#.len();
        let token: String = form[at..].chars().take_while(|c| *c != '"').collect();
        let response = client
            .post(format!("{base}/admin/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", "admin"),
                ("password", &password),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            303,
            "the printed password works"
        );
    });
    stop(server);

    let (server, _, lines) = start_server(&db);
    assert!(
        !lines.iter().any(|l| l.contains("password '")),
        "printed once only"
    );
    stop(server);
    let key = sahifa::runtime::secret_key::key_path(&db);
    let mode = std::fs::metadata(&key).unwrap().permissions();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(mode.mode() & 0o777, 0o600, "key file is private");
}

#[test]
fn disable_2fa_lets_a_locked_out_admin_in_with_the_password_again() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("sahifa.db");
    assert!(
        create_user("create-admin", &path, "hala", "كلمة مرور طويلة جدًا")
            .status
            .success()
    );
    let db = Database::open_file(&path).unwrap();
    let hala = users::find_by_username(&mut db.conn().unwrap(), "hala")
        .unwrap()
        .unwrap();
    let secret = sahifa::core::two_factor::TotpSecret::generate();
    sahifa::db::two_factor::enable(&mut db.conn().unwrap(), hala.id, secret.as_str(), 1, &[])
        .unwrap();
    assert!(
        users::find(&mut db.conn().unwrap(), hala.id)
            .unwrap()
            .unwrap()
            .two_factor
    );

    let run = |name: &str| {
        sahifa()
            .args(["disable-2fa", name, "--database"])
            .arg(&path)
            .output()
            .unwrap()
    };
    let output = run("hala");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("two-factor sign-in is off for hala"));
    assert!(
        !users::find(&mut db.conn().unwrap(), hala.id)
            .unwrap()
            .unwrap()
            .two_factor
    );
    let log = sahifa::db::audit::newest(&mut db.conn().unwrap(), None, None, 10, 0).unwrap();
    assert_eq!(
        (log[0].username.as_str(), log[0].target.as_str()),
        ("command line", "user hala")
    );

    let output = run("nobody");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no account named nobody"));
}

/// One server per SQLite file: a second one on the same file says so and exits 2; once
/// the first has stopped, the file can be served again.
#[test]
fn a_second_server_on_the_same_database_exits_2() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("sahifa.db");
    let (mut first, _, _) = start_server(&db);

    let second = sahifa()
        .args(["--bind", "127.0.0.1:0", "--database", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("another sahifa is already serving"), "{said}");
    assert!(said.contains("--database"), "names the option: {said}");

    let stopped = Command::new("kill")
        .args(["-TERM", &first.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(first.wait().unwrap().success());
    // Served again once the first has stopped.
    let (again, _, _) = start_server(&db);
    stop(again);
}

/// `sahifa backup` while the server serves readers: the copy is consistent, holds every
/// article, passes the checks, and has the key file beside it; `sahifa check` agrees.
#[test]
fn backup_copies_a_served_database_and_its_key_and_check_passes() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("sahifa.db");
    let created = create_user("create-editor", &db, EDITOR_USER, EDITOR_PASSWORD);
    assert!(created.status.success());
    let (server, base, _) = start_server(&db);
    // Readers keep the server writing view counts while the copy is made, and an editor
    // keeps saving articles.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reading = {
        let (done, base) = (done.clone(), base.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async {
                let home = reqwest::get(format!("{base}/"))
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                let at = home.find("/a/").unwrap();
                let id: String = home[at + 3..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                let mut served = 0;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let response = reqwest::get(format!("{base}/a/{id}")).await.unwrap();
                    assert_eq!(response.status().as_u16(), 200);
                    served += 1;
                }
                served
            })
        })
    };
    let editing = {
        let (done, base) = (done.clone(), base.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(super::hard_kills::keep_saving(base, 0, done))
        })
    };
    std::thread::sleep(Duration::from_millis(1_500));
    let began = std::time::Instant::now();
    let copy = dir.path().join("backup.db");
    let output = sahifa()
        .args(["backup"])
        .arg(&copy)
        .args(["--database", db.to_str().unwrap()])
        .output()
        .unwrap();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(
        reading.join().unwrap() > 0,
        "readers were served during the backup"
    );
    let saved = editing.join().unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let copied: usize = said
        .split("backed up ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert!(said.contains("passes integrity_check"), "{said}");

    // The key beside it, private, the same as the server's.
    let key_copy = dir.path().join("backup.db.key");
    assert_eq!(
        std::fs::read(&key_copy).unwrap(),
        std::fs::read(dir.path().join("sahifa.db.key")).unwrap()
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key_copy).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // The copy is a database sahifa opens, with every article saved before the backup
    // began (the 12 of the demo and the editor's), each one whole; saves made during the
    // copy may be in it, whole too.
    let restored = Database::open_file(&copy).unwrap();
    let mut conn = restored.conn().unwrap();
    assert_eq!(articles::count_all(&mut conn).unwrap() as usize, copied);
    let before: Vec<_> = saved.iter().filter(|save| save.at < began).collect();
    assert!(!before.is_empty(), "the editor saved before the backup");
    assert!(copied >= 12 + before.len());
    for save in before {
        let found = articles::find_editable(&mut conn, ArticleId::from_db(save.id))
            .unwrap()
            .unwrap_or_else(|| panic!("{} saved before the backup, not in it", save.title));
        assert_eq!(found.body, save.body);
    }
    for save in &saved {
        if let Some(found) =
            articles::find_editable(&mut conn, ArticleId::from_db(save.id)).unwrap()
        {
            assert_eq!(
                (found.title.as_str(), found.body.as_str()),
                (save.title.as_str(), save.body.as_str())
            );
        }
    }
    drop(conn);
    let checked = sahifa()
        .args(["check", "--database"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(checked.status.success());
    assert!(String::from_utf8_lossy(&checked.stdout).contains("integrity_check ok"));

    // Never over an existing file.
    let again = sahifa()
        .args(["backup"])
        .arg(&copy)
        .args(["--database", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    stop(server);
}

/// SIGTERM while the database can't be written (held by another writer past every retry):
/// the pending views go to `<db>.pending-views`, the exit status says so, `/readyz` said so
/// before; the next start adds them, and none is lost.
#[test]
fn views_that_cannot_be_saved_at_shutdown_survive_in_a_side_file() {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("sahifa.db");
    let start = || {
        let (server, base, _) = start_server(&db);
        (server, base)
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (mut server, base) = start();
    let id = runtime.block_on(async {
        let home = reqwest::get(format!("{base}/"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = home.find("/a/").unwrap();
        home[at + 3..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    });
    let before = {
        let db = Database::open_file(&db).unwrap();
        articles::stored_views(&mut db.conn().unwrap(), ArticleId::parse(&id).unwrap())
            .unwrap()
            .unwrap()
    };

    // Another writer holds the database from now on.
    let mut holder = diesel::sqlite::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    holder.batch_execute("BEGIN EXCLUSIVE").unwrap();
    runtime.block_on(async {
        for _ in 0..5 {
            let page = reqwest::get(format!("{base}/a/{id}")).await.unwrap();
            assert_eq!(page.status().as_u16(), 200, "readers are still served");
        }
        let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
        assert_eq!(ready.status().as_u16(), 503);
        let report: serde_json::Value = serde_json::from_str(&ready.text().await.unwrap()).unwrap();
        assert_eq!(report["ready"], false);
        assert_eq!(report["pending_views"], 5);
        let alive = reqwest::get(format!("{base}/healthz")).await.unwrap();
        assert_eq!(alive.status().as_u16(), 200, "alive, though not ready");
    });
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    let status = server.wait().unwrap();
    assert!(
        !status.success(),
        "the exit status says views were not saved"
    );
    let side = dir.path().join("sahifa.db.pending-views");
    let kept = std::fs::read_to_string(&side).unwrap();
    assert!(kept.contains(&format!(" {id} 5")), "{kept}");
    holder.batch_execute("ROLLBACK").unwrap();
    drop(holder);

    // The next start adds them before serving.
    let (mut server, base) = start();
    assert!(!side.exists(), "applied and removed");
    runtime.block_on(async {
        let page = reqwest::get(format!("{base}/a/{id}"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let shown = format!("data-views=\"{}\"", before + 6);
        assert!(page.contains(&shown), "5 kept + this visit: {shown}");
        let ready = reqwest::get(format!("{base}/readyz")).await.unwrap();
        assert_eq!(ready.status().as_u16(), 200);
    });
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(server.wait().unwrap().success());
}

/// One JSON line per request with `SAHIFA_LOG_FORMAT=json`: its id (the same as the
/// `X-Request-Id` the client got), route as declared, status, time, client; never a
/// token, a query string or a cookie.
#[test]
fn each_request_is_one_log_line_without_secrets() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("sahifa.db");
    let mut server = sahifa()
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--database",
            db.to_str().unwrap(),
        ])
        .env("SAHIFA_LOG_FORMAT", "json")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(server.stderr.take().unwrap());
    let base = loop {
        let mut line = String::new();
        assert!(
            log.read_line(&mut line).unwrap() > 0,
            "server exited before serving"
        );
        let event: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        if let Some(message) = event["message"].as_str()
            && let Some(at) = message.find("open http://")
        {
            break message[at + 5..].trim().trim_end_matches('/').to_owned();
        }
    };
    let (lines, collected) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in log.lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ids: Vec<String> = runtime.block_on(async {
        let client = reqwest::Client::new();
        let mut ids = Vec::new();
        for path in [
            "/admin/reset/SECRETTOKEN0123456789",
            "/search?q=secret-query-words",
            "/no/such/page",
        ] {
            let response = client
                .get(format!("{base}{path}"))
                .header("cookie", "sahifa_session=COOKIESECRET")
                .send()
                .await
                .unwrap();
            let id = response.headers()["x-request-id"]
                .to_str()
                .unwrap()
                .to_owned();
            assert_eq!(id.len(), 16);
            ids.push(id);
        }
        ids
    });
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    server.wait().unwrap();
    let text: Vec<String> = collected.try_iter().collect();
    let all = text.join("\n");
    for secret in ["SECRETTOKEN", "secret-query", "COOKIESECRET"] {
        assert!(!all.contains(secret), "{secret} in the log:\n{all}");
    }
    let access: Vec<serde_json::Value> = text
        .iter()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|event| event["target"] == "sahifa::access")
        .collect();
    let reset = access
        .iter()
        .find(|event| event["request_id"] == ids[0].as_str())
        .expect("the reset page's line");
    assert_eq!(reset["route"], "/admin/reset/{token}");
    assert_eq!(reset["method"], "GET");
    assert_eq!(reset["client"], "127.0.0.1");
    let search = access
        .iter()
        .find(|e| e["request_id"] == ids[1].as_str())
        .unwrap();
    assert_eq!(search["route"], "/search");
    assert_eq!(search["status"], 200);
    let missing = access
        .iter()
        .find(|e| e["request_id"] == ids[2].as_str())
        .unwrap();
    assert_eq!(missing["status"], 404);
}
