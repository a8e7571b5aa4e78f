//! Slow and greedy clients: a body that trickles in is cut off at its deadline, and one
//! address may keep only so many requests in progress, so readers are served throughout.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::{spawn_app_with, test_settings};

/// A POST whose body never comes whole: headers, then a byte now and then.
fn trickle(port: u16, forwarded_for: Option<&str>) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let forwarded = forwarded_for.map_or(String::new(), |ip| format!("X-Forwarded-For: {ip}\r\n"));
    write!(
        stream,
        "POST /admin/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{forwarded}\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\nu"
    )
    .unwrap();
    stream
}

/// What the server answers on `stream` within `limit`: its status line, or "" if it closed
/// without one, or None if it said nothing.
fn answer(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut buffer = [0u8; 256];
    match stream.read(&mut buffer) {
        Ok(0) => Some(String::new()),
        Ok(n) => Some(
            String::from_utf8_lossy(&buffer[..n])
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned(),
        ),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            None
        }
        Err(_) => Some(String::new()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_body_is_cut_off_and_readers_are_served_meanwhile() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.form_body_deadline = Duration::from_secs(2);
    let app = spawn_app_with(settings, dir).await;
    let port = app.port;
    let started = Instant::now();
    let slow = tokio::task::spawn_blocking(move || {
        let mut streams: Vec<TcpStream> = (0..50).map(|_| trickle(port, None)).collect();
        // Nothing answered before the deadline…
        std::thread::sleep(Duration::from_millis(500));
        for stream in &mut streams {
            let _ = stream.write_all(b"x");
        }
        // …and every one answered or closed soon after it.
        streams
            .iter_mut()
            .map(|stream| answer(stream, Duration::from_secs(5)))
            .collect::<Vec<_>>()
    });
    // A reader meanwhile: served at once.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let reader_started = Instant::now();
    assert_eq!(app.get("/").await.status().as_u16(), 200);
    assert!(
        reader_started.elapsed() < Duration::from_secs(1),
        "the reader waited"
    );
    let answers = slow.await.unwrap();
    let elapsed = started.elapsed();
    assert!(
        answers.iter().all(Option::is_some),
        "every slow body was cut off: {answers:?}"
    );
    assert!(
        answers
            .iter()
            .flatten()
            .all(|line| !line.starts_with("HTTP/1.1 2") && !line.starts_with("HTTP/1.1 5")),
        "{answers:?}"
    );
    assert!(
        elapsed < Duration::from_secs(6),
        "cut at the deadline, not held: {elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_gets_a_bounded_number_of_requests_in_progress() {
    let dir = std::sync::Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.form_body_deadline = Duration::from_secs(3);
    // The test's connections come from loopback: through a "proxy" naming the client.
    settings.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let app = spawn_app_with(settings, dir).await;
    let port = app.port;
    let refused = tokio::task::spawn_blocking(move || {
        let mut streams: Vec<TcpStream> = (0..40)
            .map(|_| trickle(port, Some("203.0.113.9")))
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        streams
            .iter_mut()
            .filter_map(|stream| answer(stream, Duration::from_millis(300)))
            .filter(|line| line.starts_with("HTTP/1.1 429"))
            .count()
    })
    .await
    .unwrap();
    assert_eq!(
        refused,
        40 - sahifa::web::slow_clients::REQUESTS_PER_ADDRESS
    );
    // Another client is served meanwhile.
    let response = app
        .client
        .get(format!("{}/", app.address))
        .header("x-forwarded-for", "198.51.100.1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
}
