//! The `sahifa` binary itself: options, exit codes, and a graceful stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn sahifa() -> Command {
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

    let pool = sahifa::db::open(&db).unwrap();
    let views = sahifa::db::views::stored_views(&mut pool.get().unwrap(), article.parse().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(views, 5);
}
