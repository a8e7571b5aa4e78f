//! Search over HTTP: Arabic-aware matching end to end, hostile queries, ranking, paging,
//! and an index that follows the articles (through the newsroom's own use cases, and the
//! `index_article` / `remove_article` a hand edit of the database would be followed by).

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use sahifa::app::newsroom::{self, UpdateOutcome};
use sahifa::core::ArticleId;
use sahifa::core::article::{ArticleInput, Status};
use sahifa::db::changes::{self, Change};
use sahifa::views::discovery::search_url;

use crate::common::{TestApp, edit_fields, now, spawn_app, spawn_app_with, test_settings};

/// An article as the admin would save it: inserted, then indexed in the same transaction.
pub fn publish(
    app: &TestApp,
    section: &str,
    title: &str,
    body: &str,
    status: &str,
    published_at: i64,
) -> i64 {
    let id = insert_unindexed(app, section, title, body, status, published_at);
    app.db
        .search()
        .update(&mut app.conn(), &[ArticleId::from_db(id)])
        .expect("indexed");
    id
}

fn insert_unindexed(
    app: &TestApp,
    section: &str,
    title: &str,
    body: &str,
    status: &str,
    published_at: i64,
) -> i64 {
    app.insert_article_with_body(section, title, body, status, published_at)
}

/// The article ids linked from the results list of a search page, in order.
pub fn result_ids(html: &str) -> Vec<i64> {
    let Some(start) = html.find(r#"class="article-list search-list""#) else {
        return Vec::new();
    };
    let list = &html[start
        ..html[start..]
            .find("</ol>")
            .map_or(html.len(), |e| start + e)];
    list.split(r#"<h2><a href="/a/"#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

pub async fn search_ids(app: &TestApp, query: &str) -> Vec<i64> {
    result_ids(&search_page(app, query).await)
}

/// The results page for `query` (sent percent-encoded, as a browser's form would).
async fn search_page(app: &TestApp, query: &str) -> String {
    let (status, html) = app.get_html(&search_url(query)).await;
    assert_eq!(status, 200, "{query}");
    html
}

#[tokio::test]
async fn arabic_spelling_variants_find_each_other() {
    let app = spawn_app().await;
    // (query, the text of the article it must find, the word that must be marked)
    let pairs = [
        ("الاسد", "زار الأسد حديقة الحيوان", "الأسد"),
        ("مدرسه", "افتتحت المدرسة الجديدة أبوابها", "المدرسة"),
        ("٢٠١٦", "أرقام السياحة في عام 2016 تتحسن", "2016"),
        ("مستشفي", "زار الوزير مستشفى المواساة", "مستشفى"),
        ("كورونا", "إصابات جديدة بالكورونا في الشمال", "بالكورونا"),
        ("مَدِينَة", "مدينة حلب القديمة تستعيد أسواقها", "مدينة"),
        ("UNESCO", "تكريم من منظمة unesco للتراث", "unesco"),
        // A hamza on another seat (issue 16).
        ("مسئول", "صرّح مسؤول في الوزارة للصحفيين", "مسؤول"),
        ("شئون", "اجتماع في وزارة الشؤون الاجتماعية", "الشؤون"),
        ("هيأة", "تقرير الهيئة العامة للإحصاء", "الهيئة"),
        ("2025", "موازنة عام 2025م للمحافظة", "2025م"),
        ("سوريا", "وفد تجاري يزور سورية الشهر المقبل", "سورية"),
        ("سيارة", "عرض سيارتان كهربائيتان في المعرض", "سيارتان"),
    ];
    let mut ids = Vec::new();
    for (n, (_, text, _)) in pairs.iter().enumerate() {
        ids.push(publish(
            &app,
            "politics",
            &format!("خبر الاختبار {n}"),
            text,
            "published",
            now() - 600 + n as i64,
        ));
    }
    for ((query, _, word), id) in pairs.iter().zip(&ids) {
        let html = search_page(&app, query).await;
        assert_eq!(result_ids(&html), [*id], "{query}");
        assert!(
            html.contains(&format!("<mark>{word}</mark>")),
            "{query}: {word} is marked in the snippet"
        );
    }
}

#[tokio::test]
async fn all_query_words_must_occur_in_any_order() {
    let app = spawn_app().await;
    let both = publish(
        &app,
        "politics",
        "في دمشق افتتحت المدرسة",
        "نص",
        "published",
        now() - 60,
    );
    let one = publish(
        &app,
        "politics",
        "المدرسة في حلب",
        "نص",
        "published",
        now() - 60,
    );
    assert_eq!(search_ids(&app, "مدرسة دمشق").await, [both]);
    assert_eq!(search_ids(&app, "حلب مدرسة").await, [one]);
    assert!(search_ids(&app, "دمشق حلب").await.is_empty());
    let mut school = search_ids(&app, "مدرسة").await;
    school.sort();
    let mut expected = vec![both, one];
    expected.sort();
    assert_eq!(school, expected);
}

#[tokio::test]
async fn title_matches_rank_above_body_matches() {
    let app = spawn_app().await;
    let in_body = publish(
        &app,
        "politics",
        "أخبار الصباح",
        "افتتاح المستشفى الجديد في المدينة",
        "published",
        now() - 60,
    );
    let in_title = publish(
        &app,
        "politics",
        "المستشفى الجديد يستقبل المرضى",
        "تفاصيل الخبر في المدينة",
        "published",
        now() - 3600,
    );
    assert_eq!(search_ids(&app, "مستشفى").await, [in_title, in_body]);
}

#[tokio::test]
async fn queries_are_text_never_search_syntax() {
    let app = spawn_app().await;
    let id = publish(
        &app,
        "politics",
        "خبر عن NEAR والمدرسة",
        "and or not",
        "published",
        now() - 60,
    );
    let long: String = "كلمة \"NEAR(a b)* -x OR ^y: (مدرسة) ' \\ 2016 "
        .chars()
        .cycle()
        .take(1000)
        .collect();
    for query in [
        "\"",
        "*",
        "-",
        "NEAR(a b)",
        "a AND OR b",
        "(",
        ")",
        ":",
        "^",
        "'",
        "؟!.,",
        "title:مدرسة",
        "مدرسة*",
        "-مدرسة",
        "NOT مدرسة",
        "{title body}: مدرسة",
        "\u{0}",
        "ـــ",
        "ً",
        &long,
    ] {
        let html = search_page(&app, query).await;
        assert!(html.contains(r#"<html lang="ar" dir="rtl""#), "{query:?}");
    }
    assert_eq!(
        search_ids(&app, "NEAR").await,
        [id],
        "a word like any other"
    );
    assert_eq!(search_ids(&app, "\"المدرسة\"").await, [id]);
}

#[tokio::test]
async fn empty_and_fruitless_searches_say_so_in_arabic() {
    let app = spawn_app().await;
    publish(&app, "politics", "خبر منشور", "نص", "published", now() - 60);

    let (status, html) = app.get_html("/search").await;
    assert_eq!(status, 200);
    assert!(html.contains("اكتب كلمة أو أكثر"), "{html}");
    let (_, html) = app.get_html("/search?q=%20%20").await;
    assert!(html.contains("اكتب كلمة أو أكثر"));

    let html = search_page(&app, "زلزال").await;
    assert!(html.contains("لا توجد نتائج"), "{html}");
    assert!(html.contains("«<bdi>زلزال</bdi>»"));
}

#[tokio::test]
async fn the_query_is_shown_back_escaped_in_the_search_box() {
    let app = spawn_app().await;
    let html = search_page(&app, r#""><script>alert(1)</script> مدرسة"#).await;
    assert!(!html.contains("<script>alert(1)</script>"));
    let value = crate::common::attribute(&html, r#"<input id="search-q""#, "value").unwrap();
    assert!(
        value.contains("&#34;&#62;&#60;script&#62;") || value.contains("&quot;&gt;&lt;script&gt;"),
        "{value}"
    );
    assert!(value.ends_with(" مدرسة"), "{value}");
    assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
}

#[tokio::test]
async fn results_are_paginated() {
    let app = spawn_app().await;
    for n in 0..12 {
        publish(
            &app,
            "economy",
            &format!("تقرير الأسواق رقم {n}"),
            "نص",
            "published",
            now() - 1000 + n,
        );
    }
    let html = search_page(&app, "الأسواق").await;
    assert_eq!(result_ids(&html).len(), 10);
    assert!(html.contains("12 نتيجة"), "count shown");
    let next = crate::common::attribute(&html, r#"rel="next""#, "href")
        .expect("next link")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert_eq!(
        next,
        "/search?q=%D8%A7%D9%84%D8%A3%D8%B3%D9%88%D8%A7%D9%82&page=2"
    );
    let (status, page2) = app.get_html(&next).await;
    assert_eq!(status, 200);
    assert_eq!(result_ids(&page2).len(), 2);
    assert!(page2.contains(r#"rel="prev""#));
    let (status, _) = app
        .get_html("/search?q=%D8%A7%D9%84%D8%A3%D8%B3%D9%88%D8%A7%D9%82&page=3")
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_index_follows_edits_publication_and_deletion() {
    let app = spawn_app().await;
    let id = publish(
        &app,
        "politics",
        "افتتاح الجسر الجديد",
        "نص الخبر",
        "published",
        now() - 60,
    );
    let article = ArticleId::from_db(id);
    assert_eq!(search_ids(&app, "الجسر").await, [id]);

    // Edit the title: the old word no longer finds it, the new one does.
    edit(&app, article, |input| {
        input.title = "افتتاح النفق الجديد".into()
    })
    .await;
    assert!(search_ids(&app, "الجسر").await.is_empty());
    assert_eq!(search_ids(&app, "النفق").await, [id]);

    // Unpublished: gone from results, though still indexed.
    edit(&app, article, |input| input.status = Status::Draft).await;
    assert!(search_ids(&app, "النفق").await.is_empty());

    // Scheduled: appears when its time comes, with no reindexing.
    let soon = now() + 2;
    edit(&app, article, |input| {
        input.status = Status::Published;
        input.published_at = Some(soon);
    })
    .await;
    assert!(search_ids(&app, "النفق").await.is_empty());
    while now() <= soon {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(search_ids(&app, "النفق").await, [id]);

    // Deleted.
    let indexed = app.db.search().len();
    newsroom::delete_article(&app.db, crate::common::test_actor(), article, now())
        .await
        .unwrap();
    assert!(search_ids(&app, "النفق").await.is_empty());
    assert_eq!(app.db.search().len(), indexed - 1);
    // Indexing an article that no longer exists just leaves it out.
    app.db.search().update(&mut app.conn(), &[article]).unwrap();
    assert_eq!(app.db.search().len(), indexed - 1);
}

/// Saves a change to an article through the newsroom's use case, as the edit form does.
async fn edit(app: &TestApp, id: ArticleId, change: impl FnOnce(&mut ArticleInput)) {
    let current = newsroom::editable_article(&app.db, id).await.unwrap();
    let mut input = ArticleInput {
        title: current.title,
        summary: current.summary,
        body: current.body,
        section_id: current.section_id,
        author: current.author,
        status: current.status,
        published_at: Some(current.published_at),
        lead_picture: current.lead_picture,
        tags: None,
    };
    change(&mut input);
    app.create_user("editor", "a long enough password", "editor")
        .await;
    let by = sahifa::db::users::find_by_username(&mut app.conn(), "editor")
        .unwrap()
        .expect("the editor")
        .id;
    let actor = sahifa::core::audit::Actor {
        user: Some(by),
        username: "editor".to_owned(),
        address: "127.0.0.1".to_owned(),
    };
    let edit = newsroom::Edit {
        expected_version: current.version,
        input,
        pictures: Vec::new(),
        restored_from: None,
    };
    let outcome = newsroom::update_article(&app.db, actor, id, edit, now())
        .await
        .unwrap();
    assert_eq!(outcome, UpdateOutcome::Saved);
}

#[tokio::test]
async fn reindex_command_rebuilds_the_index() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let settings = test_settings(&dir);
    let app = spawn_app_with(settings.clone(), dir.clone()).await;
    let ids: Vec<i64> = (0..3)
        .map(|n| {
            insert_unindexed(
                &app,
                "culture",
                &format!("مهرجان المسرح {n}"),
                "نص",
                "published",
                now() - 60,
            )
        })
        .collect();
    assert!(
        search_ids(&app, "مهرجان").await.is_empty(),
        "not indexed yet"
    );
    let dir = app.stop().await;

    let output = Command::new(env!("CARGO_BIN_EXE_sahifa"))
        .arg("reindex")
        .args(crate::common::database_args(&settings.database))
        .env_remove("SAHIFA_DATABASE")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "indexed 3 articles\n"
    );

    let app = spawn_app_with(settings, dir).await;
    let mut found = search_ids(&app, "مهرجان").await;
    found.sort();
    let mut expected = ids;
    expected.sort();
    assert_eq!(found, expected);
}

/// A server stopped with one article it never indexed; then `spoil` is done to the index
/// folder, and the server started again must find the article.
async fn restart_after(spoil: impl FnOnce(&std::path::Path, &TestApp, i64)) {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let settings = test_settings(&dir);
    let app = spawn_app_with(settings.clone(), dir.clone()).await;
    let id = insert_unindexed(&app, "society", "حملة تشجير", "نص", "published", now() - 60);
    let index = settings.database.beside(".search");
    assert!(index.is_dir(), "the index lives beside the database");
    spoil(&index, &app, id);
    let dir = app.stop().await;

    let app = spawn_app_with(settings, dir).await;
    assert_eq!(search_ids(&app, "تشجير").await, [id]);
    assert_eq!(app.db.search().len(), 1);
}

/// The search index cannot be written (its folder is gone): an edit is still saved and
/// answered as saved, not with an error page, and readers see it.
#[tokio::test]
async fn an_edit_is_saved_when_the_search_index_cannot_be_written() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let settings = test_settings(&dir);
    let app = spawn_app_with(settings.clone(), dir.clone()).await;
    app.login_as_admin().await;
    let id = app
        .create_article_via_form(&[("title", "افتتاح جسر فوق النهر")])
        .await;
    // The change feed's follower may be writing to the index at this moment (it applies
    // the article's change again): try until the folder is gone.
    let index = settings.database.beside(".search");
    for _ in 0..250 {
        if std::fs::remove_dir_all(&index).is_ok() || !index.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!index.exists(), "the index folder is gone");

    let (_, page) = app.get_html(&format!("/admin/articles/{id}/edit")).await;
    let (_, version) = edit_fields(&page);
    let response = app
        .submit_article(
            &format!("/admin/articles/{id}"),
            &[("version", &version), ("title", "افتتاح نفق تحت النهر")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "saved, not an error");
    let (status, html) = app.get_html(&format!("/a/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("افتتاح نفق تحت النهر"),
        "readers see the edit"
    );
}

#[tokio::test]
async fn a_deleted_index_is_rebuilt_at_start() {
    restart_after(|index, _, _| std::fs::remove_dir_all(index).unwrap()).await;
}

#[tokio::test]
async fn a_corrupt_index_is_rebuilt_at_start_not_a_crash() {
    restart_after(|index, _, _| {
        std::fs::write(index.join("meta.json"), "{ not json").unwrap();
        for entry in std::fs::read_dir(index).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e != "json") {
                std::fs::write(path, b"garbage").unwrap();
            }
        }
    })
    .await;
}

#[tokio::test]
async fn an_index_behind_the_change_feed_catches_up_at_start() {
    // As after a crash between saving an article and indexing it, or an edit made by
    // another instance while this one was down.
    restart_after(|_, app, id| {
        sahifa::db::write_tx(&mut app.conn(), |conn| {
            changes::record(conn, Change::Article(ArticleId::from_db(id)), now())
        })
        .unwrap()
    })
    .await;
}

#[tokio::test]
async fn newer_articles_come_first_among_equal_matches_and_on_request_all_by_date() {
    let app = spawn_app().await;
    let day = 86_400;
    let old = publish(
        &app,
        "politics",
        "انقطاع الكهرباء في الحي",
        "نص",
        "published",
        now() - 900 * day,
    );
    let recent = publish(
        &app,
        "politics",
        "انقطاع الكهرباء في المدينة",
        "نص",
        "published",
        now() - day,
    );
    let middle = publish(
        &app,
        "politics",
        "انقطاع الكهرباء في القرية",
        "نص",
        "published",
        now() - 90 * day,
    );
    // Named in the title, years ago; only in the body, today: the better match wins.
    let title_match = publish(
        &app,
        "politics",
        "مهرجان الزيتون السنوي",
        "نص",
        "published",
        now() - 1000 * day,
    );
    let body_match = publish(
        &app,
        "politics",
        "أخبار المدينة",
        "افتتح مهرجان صغير",
        "published",
        now() - 60,
    );

    assert_eq!(
        search_ids(&app, "انقطاع الكهرباء").await,
        [recent, middle, old]
    );
    assert_eq!(search_ids(&app, "مهرجان").await, [title_match, body_match]);

    let (status, html) = app
        .get_html(&format!("{}&sort=newest", search_url("مهرجان")))
        .await;
    assert_eq!(status, 200);
    assert_eq!(result_ids(&html), [body_match, title_match]);
    assert!(
        html.contains("<strong>الأحدث أولًا</strong>"),
        "the order in use is shown"
    );
    let best_first = search_page(&app, "مهرجان").await;
    assert!(best_first.contains("<strong>الأكثر صلة</strong>"));
    assert!(best_first.contains(&format!(
        r#"href="{}&#38;sort=newest""#,
        search_url("مهرجان")
    )));
}

#[tokio::test]
async fn searches_beyond_the_limit_are_refused_in_arabic_with_retry_after() {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.concurrent_searches = 0;
    let app = spawn_app_with(settings, dir).await;
    let response = app.get(&search_url("الكهرباء")).await;
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    let html = response.text().await.unwrap();
    assert!(html.contains("الخدمة غير متاحة مؤقتًا"), "{html}");
    assert_eq!(
        app.get("/").await.status().as_u16(),
        200,
        "the rest of the site answers"
    );
}

/// The name علي finds the name, not the preposition على that folding ى → ي used to turn
/// into it (nearly every article has one); a search for the preposition alone finds
/// nothing to search for.
#[tokio::test]
async fn the_name_ali_is_not_the_preposition_ala() {
    let app = spawn_app().await;
    let preposition = publish(
        &app,
        "politics",
        "الوزير يعلّق على الموازنة",
        "علّق الوزير على الموازنة الجديدة وأشار إلى نقص في التمويل",
        "published",
        now() - 600,
    );
    let name = publish(
        &app,
        "politics",
        "علي الحموي يفوز بالجائزة",
        "فاز الكاتب علي الحموي بجائزة الرواية",
        "published",
        now() - 500,
    );
    assert_eq!(search_ids(&app, "علي").await, [name]);
    assert_eq!(search_ids(&app, "الموازنة").await, [preposition]);
    assert!(search_ids(&app, "على").await.is_empty());
}

/// Names keep their ending: لبنان is not لبن (milk) with ان stripped, حماة not حما.
#[tokio::test]
async fn protected_names_do_not_meet_common_words() {
    let app = spawn_app().await;
    let lebanon = publish(
        &app,
        "politics",
        "وفد يزور لبنان",
        "وصل الوفد إلى لبنان صباح اليوم",
        "published",
        now() - 600,
    );
    let milk = publish(
        &app,
        "economy",
        "أسعار اللبن ترتفع",
        "ارتفعت أسعار اللبن في الأسواق",
        "published",
        now() - 500,
    );
    assert_eq!(search_ids(&app, "اللبن").await, [milk]);
    assert_eq!(search_ids(&app, "لبنان").await, [lebanon]);
    assert_eq!(
        search_ids(&app, "ولبنان").await,
        [lebanon],
        "a clitic still goes"
    );
}

/// A broken plural finds its singular and a masdar its verb, through the project's
/// lexicon; the exact word ranks first, the lexicon's match last.
#[tokio::test]
async fn broken_plurals_and_masdars_are_found_and_rank_below_the_word() {
    let app = spawn_app().await;
    let plural = publish(
        &app,
        "society",
        "ترميم الجسور القديمة",
        "بدأت أعمال ترميم الجسور فوق النهر",
        "published",
        now() - 900,
    );
    let singular = publish(
        &app,
        "society",
        "إغلاق الجسر الرئيسي",
        "أغلق الجسر أمام السيارات",
        "published",
        now() - 800,
    );
    assert_eq!(search_ids(&app, "جسر").await, [singular, plural]);
    assert_eq!(search_ids(&app, "جسور").await, [plural, singular]);
    let verb = publish(
        &app,
        "politics",
        "المجلس يجتمع غدًا",
        "سيجتمع أعضاء المجلس لمناقشة الموازنة",
        "published",
        now() - 700,
    );
    assert!(search_ids(&app, "اجتماع").await.contains(&verb));
    // Why each matched is shown: the plural and the verb are marked though the reader typed
    // the singular and the masdar.
    assert!(
        search_page(&app, "جسر")
            .await
            .contains("<mark>الجسور</mark>")
    );
    assert!(
        search_page(&app, "اجتماع")
            .await
            .contains("<mark>سيجتمع</mark>")
    );
    // Verbs the lexicon does not list meet their masdar by pattern.
    let unlisted = publish(
        &app,
        "culture",
        "المهرجان ينطلق الخميس",
        "تنطلق فعاليات المهرجان في حماة",
        "published",
        now() - 600,
    );
    assert!(search_ids(&app, "انطلاق").await.contains(&unlisted));
}

/// The word as typed ranks above a word that only shares its stem, even one the other
/// article repeats: «المعلمين» finds the article about the teachers first, then the one
/// that says «المعلمون» twice.
#[tokio::test]
async fn the_word_as_typed_ranks_above_its_stem() {
    let app = spawn_app().await;
    let stem_only = publish(
        &app,
        "society",
        "المعلمون ينتظرون",
        "قال المعلمون إن المعلمون القدامى ينتظرون",
        "published",
        now() - 600,
    );
    let exact = publish(
        &app,
        "society",
        "رواتب المعلمين في قرى الريف الشرقي تتأخر للشهر الثالث على التوالي",
        "نص قصير عن الرواتب المتأخرة في القرى البعيدة عن المدينة",
        "published",
        now() - 600,
    );
    assert_eq!(search_ids(&app, "المعلمين").await, [exact, stem_only]);
}
