//! Deep list pages: every page of the home page, of a section page, of an author's page and
//! of a tag's page is exactly its slice of the whole list, newest first (ties in time broken by id), at any depth;
//! with the page anchors read afresh, kept across requests, after a newsroom change, and
//! when a scheduled article comes due.

use std::sync::Arc;
use std::time::Duration;

use crate::common::{TestApp, now, spawn_app_with, test_settings};
use crate::discovery::linked_ids;

/// Every article of the list at `base`, page after page, until a page answers 404; each
/// page links to the next exactly when `total` articles are not all shown yet.
async fn every_page(app: &TestApp, base: &str, total: usize) -> Vec<i64> {
    let mut seen = Vec::new();
    for page in 1.. {
        let path = match page {
            1 => base.to_owned(),
            n => format!("{base}?page={n}"),
        };
        let (status, html) = app.get_html(&path).await;
        if status == 404 {
            assert!(page > 1, "{path}");
            break;
        }
        assert_eq!(status, 200, "{path}");
        let html = without_side_column(&html);
        let ids = linked_ids(&html, "<main", "</main>");
        assert!(ids.len() <= if page == 1 { 21 } else { 20 }, "{path}");
        let next = format!(r#"rel="next" href="{base}?page={}""#, page + 1);
        assert_eq!(
            html.contains(&next),
            seen.len() + ids.len() < total,
            "{path}"
        );
        seen.extend(ids);
    }
    seen
}

/// The page without the column beside the list ("الأكثر قراءة", or the newest stories
/// before anyone has read): its links repeat stories of the list.
fn without_side_column(html: &str) -> String {
    match html.split_once("<section class=\"most-read\"") {
        Some((before, after)) => {
            let rest = after.split_once("</section>").map_or("", |(_, rest)| rest);
            format!("{before}{rest}")
        }
        None => html.to_owned(),
    }
}

/// An archive's article: id, section, published_at, published?, tagged?
type Row = (i64, &'static str, i64, bool, bool);

/// Visible articles of `rows` in list order: of `section`, or tagged (`Tagged`), or all.
fn expected(rows: &[Row], list: List, at: i64) -> Vec<i64> {
    let mut visible: Vec<(i64, i64)> = rows
        .iter()
        .filter(|(_, s, t, published, tagged)| {
            *published
                && *t <= at
                && match list {
                    List::All => true,
                    List::Section(section) => section == *s,
                    List::Tagged => *tagged,
                }
        })
        .map(|(id, _, t, _, _)| (*t, *id))
        .collect();
    visible.sort_by(|a, b| b.cmp(a));
    visible.into_iter().map(|(_, id)| id).collect()
}

#[derive(Clone, Copy)]
enum List {
    All,
    Section(&'static str),
    Tagged,
}

/// The archive's one tag: "حمص", on three articles in four.
const TAG: &str = "/tag/%D8%AD%D9%85%D8%B5";

/// 330 articles (ties in time, drafts, two sections, a tag on most) and 3 scheduled ones.
async fn archive(anchor_ttl: Duration) -> (TestApp, Vec<Row>) {
    let dir = Arc::new(tempfile::TempDir::new().unwrap());
    let mut settings = test_settings(&dir);
    settings.list_anchor_ttl = anchor_ttl;
    let app = spawn_app_with(settings, dir).await;
    let base = now() - 100_000;
    let mut rows = Vec::new();
    for n in 0..330 {
        // Three articles share each publication time: ties are ordered by id.
        let section = if n % 5 < 3 { "politics" } else { "economy" };
        let published_at = base + (n / 3) * 60;
        let published = n % 47 != 0;
        let status = if published { "published" } else { "draft" };
        let title = format!("خبر الأرشيف رقم {n}");
        let id = app.insert_article_in(section, &title, status, published_at);
        let tagged = n % 4 != 3;
        if tagged {
            tag(&app, id);
        }
        rows.push((id, section, published_at, published, tagged));
    }
    for n in 0..3 {
        let at = now() + 3_600 * (n + 1);
        let id = app.insert_article_in("politics", &format!("خبر مجدول {n}"), "published", at);
        tag(&app, id);
        rows.push((id, "politics", at, true, true));
    }
    (app, rows)
}

fn tag(app: &TestApp, id: i64) {
    let tags = sahifa::core::tags::parse_tags("حمص").unwrap();
    sahifa::db::tags::set_for_article(&mut app.conn(), sahifa::core::ArticleId::from_db(id), &tags)
        .unwrap();
}

#[tokio::test]
async fn every_page_is_its_slice_of_the_whole_list() {
    for ttl in [Duration::ZERO, Duration::from_secs(300)] {
        let (app, rows) = archive(ttl).await;
        // Every article of the archive is under the tests' one byline.
        let author =
            "/author/%D9%85%D8%AD%D8%B1%D8%B1-%D8%A7%D9%84%D8%A7%D8%AE%D8%AA%D8%A8%D8%A7%D8%B1";
        for (base, list) in [
            ("/", List::All),
            ("/section/politics", List::Section("politics")),
            (author, List::All),
            (TAG, List::Tagged),
        ] {
            let want = expected(&rows, list, now());
            assert!(want.len() > 150, "{} articles", want.len());
            let shown = every_page(&app, base, want.len()).await;
            assert_eq!(shown, want, "{base} (anchors kept {ttl:?})");
        }
    }
}

#[tokio::test]
async fn kept_anchors_follow_newsroom_changes_and_articles_coming_due() {
    let (app, mut rows) = archive(Duration::from_secs(300)).await;
    let want = expected(&rows, List::All, now());
    assert_eq!(every_page(&app, "/", want.len()).await, want);

    // An article published in the newsroom shifts every page by one, at once.
    app.login_as_admin().await;
    let id = app
        .create_article_via_form(&[("title", "خبر جديد ينشر الآن من غرفة الأخبار")])
        .await;
    rows.push((id, "politics", now(), true, false));
    let (_, page2) = app.get_html("/?page=2").await;
    let want = expected(&rows, List::All, now());
    assert_eq!(linked_ids(&page2, "<main", "</main>")[0], want[21]);
    assert_eq!(every_page(&app, "/", want.len()).await, want);

    // An article scheduled two seconds ahead, written before the anchors were read,
    // shows up on its time with the same anchors.
    let soon = now() + 2;
    let scheduled = app.insert_article_in("economy", "خبر يحين موعده", "published", soon);
    rows.push((scheduled, "economy", soon, true, false));
    app.create_article_via_form(&[("title", "خبر آخر يقرأ المراسي من جديد")])
        .await;
    let before = every_page(&app, "/", want.len() + 1).await;
    assert!(!before.contains(&scheduled));
    while now() <= soon {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after = every_page(&app, "/", want.len() + 2).await;
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains(&scheduled));
    assert_eq!(
        after
            .iter()
            .filter(|id| **id != scheduled)
            .copied()
            .collect::<Vec<_>>(),
        before
    );
}

/// The ids an admin list page's table links to for editing, in order (the dashboard
/// above it links to some too).
fn edited_ids(html: &str) -> Vec<i64> {
    let table = html
        .split("<table class=\"newsroom")
        .nth(1)
        .unwrap_or_default();
    let mut ids: Vec<i64> = table
        .split("href=\"/admin/articles/")
        .skip(1)
        .filter_map(|rest| rest.split("/edit\"").next()?.parse().ok())
        .collect();
    ids.dedup();
    ids
}

#[tokio::test]
async fn every_newsroom_page_is_its_slice_of_the_whole_list() {
    let (app, rows) = archive(Duration::ZERO).await;
    app.login_as_admin().await;
    let now = now();
    // (filter query, which rows it keeps), the newsroom's order: newest first, ties by id.
    type Keeps = Box<dyn Fn(&Row) -> bool>;
    let filters: [(&str, Keeps); 4] = [
        ("", Box::new(|_| true)),
        ("status=draft", Box::new(|r| !r.3)),
        ("status=published", Box::new(move |r| r.3 && r.2 <= now)),
        ("status=scheduled", Box::new(move |r| r.3 && r.2 > now)),
    ];
    for (filter, keeps) in filters {
        let mut want: Vec<(i64, i64)> = rows
            .iter()
            .filter(|r| keeps(r))
            .map(|r| (r.2, r.0))
            .collect();
        want.sort_by(|a, b| b.cmp(a));
        let want: Vec<i64> = want.into_iter().map(|(_, id)| id).collect();
        let mut shown = Vec::new();
        for page in 1.. {
            let (status, html) = app.get_html(&format!("/admin?{filter}&page={page}")).await;
            if status == 404 || edited_ids(&html).is_empty() {
                break;
            }
            assert_eq!(status, 200, "{filter} page {page}");
            shown.extend(edited_ids(&html));
        }
        assert_eq!(shown, want, "/admin?{filter}");
    }
}
