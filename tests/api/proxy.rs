//! sahifa behind nginx with the documented settings (`deploy/sahifa-proxy.conf`), started
//! by the test on loopback: the sign-in throttle sees each client's own address (clients
//! connect from 127.0.0.2 and 127.0.0.3), and a forwarding header a client forges is
//! replaced by nginx and never believed.

use std::net::IpAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{ADMIN_PASSWORD, ADMIN_USER, csrf_token, spawn_app_with, test_settings};

struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// nginx in front of the server on `upstream`, with the deploy folder's proxy settings.
fn start_nginx(upstream: u16) -> Option<Nginx> {
    let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|path| std::path::Path::new(path).exists())?;
    let dir = tempfile::TempDir::new().unwrap();
    let port = free_port();
    let snippet = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/sahifa-proxy.conf");
    let temp = dir.path().display();
    let conf = format!(
        "daemon off;\nworker_processes 1;\npid {temp}/nginx.pid;\nerror_log {temp}/error.log warn;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n\
         fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n\
         upstream sahifa {{ server 127.0.0.1:{upstream}; keepalive 4; }}\n\
         server {{\n    listen 127.0.0.1:{port};\n    include {};\n  }}\n}}\n",
        snippet.display()
    );
    let path = dir.path().join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    let child = Command::new(nginx)
        .arg("-c")
        .arg(&path)
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    // Owned from here: dropped (killed and waited for) on every path.
    let nginx = Nginx {
        child,
        port,
        _dir: dir,
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(nginx);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nginx did not start on port {port}");
}

/// A browser on the loopback address `from`, talking to nginx.
fn browser(from: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .local_address(from.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn sign_in(
    client: &reqwest::Client,
    base: &str,
    password: &str,
    forged: Option<&str>,
) -> u16 {
    let form = client
        .get(format!("{base}/admin/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut request = client.post(format!("{base}/admin/login")).form(&[
        ("csrf_token", csrf_token(&form).as_str()),
        ("username", ADMIN_USER),
        ("password", password),
        ("next", ""),
    ]);
    if let Some(forged) = forged {
        request = request.header("x-forwarded-for", forged);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn behind_nginx_the_throttle_sees_each_clients_own_address() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let app = spawn_app_with(settings, dir).await;
    app.create_user(ADMIN_USER, ADMIN_PASSWORD, "admin").await;
    let Some(nginx) = start_nginx(app.port) else {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("nginx is not installed (apt-get install nginx)");
        }
        eprintln!("proxy test skipped: nginx is not installed");
        return;
    };
    let base = format!("http://127.0.0.1:{}", nginx.port);
    // The base URL is the app's own; nginx keeps Host, so the origin checks hold through it
    // only for requests without an Origin header (these have none).

    let attacker = browser("127.0.0.2");
    for _ in 0..5 {
        assert_eq!(sign_in(&attacker, &base, "wrong password", None).await, 200);
    }
    assert_eq!(sign_in(&attacker, &base, ADMIN_PASSWORD, None).await, 429);
    // Claiming to be someone else changes nothing: nginx writes the address it saw.
    assert_eq!(
        sign_in(
            &browser("127.0.0.2"),
            &base,
            ADMIN_PASSWORD,
            Some("127.0.0.9")
        )
        .await,
        429
    );
    // The admin at their own address is not locked out.
    assert_eq!(
        sign_in(&browser("127.0.0.3"), &base, ADMIN_PASSWORD, None).await,
        303
    );

    let log = sahifa::db::audit::newest(&mut app.conn(), None, None, 20, 0).unwrap();
    assert!(
        log.iter().any(|e| e.address == "127.0.0.2"),
        "failures name the client"
    );
    assert!(
        log.iter().any(|e| e.address == "127.0.0.3"),
        "the sign-in names the admin"
    );
    assert!(
        log.iter().all(|e| e.address != "127.0.0.9"),
        "a forged address is never believed"
    );
}
