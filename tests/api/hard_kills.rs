//! Hard kills: the real binary killed with SIGKILL, ten times, while readers read an
//! article and an editor saves new ones. After each kill the database passes
//! `integrity_check`, the views lost are at most those of the last flush interval, and
//! every article is whole: each save the editor saw succeed is there word for word, and no
//! article exists with half of what was sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sahifa::core::ArticleId;
use sahifa::db::{Database, articles};

use super::cli::{create_user, sahifa, start_server};
use crate::common::{EDITOR_PASSWORD, EDITOR_USER, attribute, csrf_token, new_client};

const ROUNDS: u64 = 10;
/// The binary's default: view counts are written once a second.
const FLUSH_INTERVAL: Duration = Duration::from_secs(1);
/// Time a flush may take to be written after its tick on a loaded two-core machine.
const SLACK: Duration = Duration::from_secs(1);
const READERS: usize = 4;

pub(super) struct Saved {
    pub(super) id: i64,
    pub(super) title: String,
    pub(super) body: String,
    /// When the server confirmed the save.
    pub(super) at: Instant,
}

fn title_of(round: u64, n: usize) -> String {
    format!("خبر الجولة {round} رقم {n}")
}

pub(super) fn body_of(round: u64, n: usize) -> String {
    // Long enough that a torn write would show: several pages of the database.
    format!(
        "الفقرة الأولى من الخبر {round}-{n}.\n\n{}\n\nالفقرة الأخيرة من الخبر {round}-{n}.",
        "نص يملأ الخبر ويطيله. ".repeat(400)
    )
}

async fn sign_in(client: &reqwest::Client, base: &str) {
    let form = client
        .get(format!("{base}/admin/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = client
        .post(format!("{base}/admin/login"))
        .form(&[
            ("csrf_token", csrf_token(&form).as_str()),
            ("username", EDITOR_USER),
            ("password", EDITOR_PASSWORD),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303, "editor signed in");
}

/// Saves new articles one after another until the server dies or `stop` is set; returns
/// those whose save was confirmed (303).
pub(super) async fn keep_saving(base: String, round: u64, stop: Arc<AtomicBool>) -> Vec<Saved> {
    let client = new_client();
    sign_in(&client, &base).await;
    let form = client
        .get(format!("{base}/admin/articles/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token(&form);
    let sections = &form[form.find("name=\"section_id\"").expect("section field")..];
    let section = attribute(sections, "<option", "value")
        .expect("a section")
        .to_owned();
    let mut saved = Vec::new();
    for n in 0.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let (title, body) = (title_of(round, n), body_of(round, n));
        let sent = client
            .post(format!("{base}/admin/articles"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("title", &title),
                ("summary", "ملخص قصير."),
                ("body", &body),
                ("section_id", &section),
                ("author", ""),
                ("status", "published"),
                ("published_at", ""),
            ])
            .send()
            .await;
        let Ok(response) = sent else {
            break; // killed while saving: this one may or may not be there, but whole
        };
        assert_eq!(response.status().as_u16(), 303, "save {round}-{n}");
        let id = response.headers()["location"]
            .to_str()
            .unwrap()
            .trim_start_matches("/admin/articles/")
            .split('/')
            .next()
            .and_then(|id| id.parse().ok())
            .expect("id in the redirect");
        saved.push(Saved {
            id,
            title,
            body,
            at: Instant::now(),
        });
    }
    saved
}

/// Reads the article until the server dies or `stop` is set; returns when each visit was
/// answered.
async fn keep_reading(base: String, id: String, stop: Arc<AtomicBool>) -> Vec<Instant> {
    let client = reqwest::Client::new();
    let mut answered = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        match client.get(format!("{base}/a/{id}")).send().await {
            Ok(response) if response.status().as_u16() == 200 => {
                // The count is taken when the page is made; the body may still be cut.
                answered.push(Instant::now());
                let _ = response.bytes().await;
            }
            Ok(response) => panic!("reader got {}", response.status()),
            Err(_) => break,
        }
    }
    answered
}

#[test]
fn hard_kills_under_load_lose_at_most_a_flush_of_views_and_never_half_an_article() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("sahifa.db");
    let created = create_user("create-editor", &db, EDITOR_USER, EDITOR_PASSWORD);
    assert!(created.status.success(), "{created:?}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut article: Option<String> = None;
    let mut stored_before = 0;
    let mut confirmed = 0;
    let mut report = Vec::new();

    for round in 0..ROUNDS {
        let (mut server, base, _) = start_server(&db);
        let id = match &article {
            Some(id) => id.clone(),
            None => {
                let home = runtime.block_on(async {
                    reqwest::get(format!("{base}/"))
                        .await
                        .unwrap()
                        .text()
                        .await
                        .unwrap()
                });
                let at = home.find("/a/").expect("a demo article on the home page");
                let id: String = home[at + 3..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                article.insert(id).clone()
            }
        };
        let stop = Arc::new(AtomicBool::new(false));
        let readers: Vec<_> = (0..READERS)
            .map(|_| runtime.spawn(keep_reading(base.clone(), id.clone(), stop.clone())))
            .collect();
        let editor = runtime.spawn(keep_saving(base.clone(), round, stop.clone()));

        // Killed at a different point of the flush cycle each round.
        std::thread::sleep(Duration::from_millis(2_500 + round * 173 % 1_000));
        let killed_at = Instant::now();
        server.kill().unwrap();
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        let mut answered = Vec::new();
        for reader in readers {
            answered.extend(runtime.block_on(reader).unwrap());
        }
        let saved = runtime.block_on(editor).unwrap();

        let check = sahifa()
            .args(["check", "--database"])
            .arg(&db)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(check.status.success(), "round {round}: {said}");
        assert!(said.contains("integrity_check ok"), "round {round}: {said}");

        let database = Database::open_file(&db).unwrap();
        let mut conn = database.conn().unwrap();
        let stored = articles::stored_views(&mut conn, ArticleId::parse(&id).unwrap())
            .unwrap()
            .unwrap();
        let lost = answered.len() as i64 - (stored - stored_before);
        let recent = answered
            .iter()
            .filter(|at| killed_at.duration_since(**at) < FLUSH_INTERVAL + SLACK)
            .count() as i64;
        assert!(
            lost <= recent,
            "round {round}: {lost} views lost of {} answered, more than the {recent} of the \
             last flush interval",
            answered.len()
        );
        for article in &saved {
            let found = articles::find_editable(&mut conn, ArticleId::from_db(article.id))
                .unwrap()
                .unwrap_or_else(|| panic!("round {round}: confirmed save {} lost", article.id));
            assert_eq!(found.title, article.title);
            assert_eq!(found.body, article.body);
        }
        report.push(format!(
            "{}/{} views kept, {} saves",
            stored - stored_before,
            answered.len(),
            saved.len()
        ));
        confirmed += saved.len();
        stored_before = stored;
    }
    assert!(confirmed > 0, "the editor saved nothing: {report:?}");

    // Saves cut off by a kill may be missing, but never present by halves.
    let database = Database::open_file(&db).unwrap();
    let mut conn = database.conn().unwrap();
    let mut written = 0;
    for id in articles::all_ids(&mut conn).unwrap() {
        let article = articles::find_editable(&mut conn, id).unwrap().unwrap();
        let Some(rest) = article.title.strip_prefix("خبر الجولة ") else {
            continue;
        };
        let (round, n) = rest.split_once(" رقم ").unwrap();
        let (round, n) = (round.parse().unwrap(), n.parse().unwrap());
        assert_eq!(article.body, body_of(round, n), "{}", article.title);
        written += 1;
    }
    assert!(written >= confirmed);
    eprintln!("hard kills: {report:?}");
}
