//! The newsroom's front page shows how the site is read: views per day over 30 days (an
//! SVG chart and the same numbers in a table), the most read, what is scheduled next; an
//! article's edit page shows its own days.

use sahifa::core::ArticleId;
use sahifa::core::time::day_number;
use sahifa::db::views;

use crate::common::{now, spawn_app};

/// The numbers of the chart's table, oldest day first.
fn table_numbers(html: &str) -> Vec<i64> {
    html.split("class=\"chart-table\"")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .expect("the chart's table")
        .split("<td><bdi>")
        .skip(1)
        .filter_map(|cell| cell.split('<').next()?.parse().ok())
        .collect()
}

#[tokio::test]
async fn the_dashboard_counts_views_per_day_and_ranks_the_most_read() {
    let app = spawn_app().await;
    app.login_as_editor().await;
    let a = app
        .create_article_via_form(&[("title", "خبر قرأه الناس أمس واليوم")])
        .await;
    let b = app
        .create_article_via_form(&[("title", "خبر قرأه الناس اليوم أكثر")])
        .await;
    let later = app
        .create_article_via_form(&[
            ("title", "خبر ينتظر موعده"),
            ("published_at", "2099-01-01T09:00:00"),
        ])
        .await;
    let today = day_number(now());
    let (a_id, b_id) = (ArticleId::from_db(a), ArticleId::from_db(b));
    views::add_views(&mut app.conn(), &[(a_id, 5)], today - 1).unwrap();
    views::add_views(&mut app.conn(), &[(a_id, 2), (b_id, 7)], today).unwrap();

    let (status, html) = app.get_html("/admin").await;
    assert_eq!(status, 200);
    let numbers = table_numbers(&html);
    assert_eq!(numbers.len(), 30, "thirty days");
    assert_eq!(&numbers[28..], &[5, 9], "yesterday and today");
    assert_eq!(numbers[..28].iter().sum::<i64>(), 0);
    assert!(html.contains("آخر 30 يومًا: <bdi>14</bdi> مشاهدة"));
    let svg = html
        .split("<svg")
        .nth(1)
        .expect("the chart")
        .split("</svg>")
        .next()
        .unwrap();
    assert!(svg.contains("role=\"img\""));
    assert_eq!(svg.matches("<rect").count(), 30);
    assert!(!html.contains("style="), "nothing the CSP blocks");

    // Most read today: b (7) before a (2).
    let today_list = html
        .split("الأكثر قراءة اليوم")
        .nth(1)
        .and_then(|rest| rest.split("</ol>").next())
        .expect("today's list");
    let (pos_a, pos_b) = (
        today_list
            .find(&format!("/admin/articles/{a}/edit"))
            .expect("a"),
        today_list
            .find(&format!("/admin/articles/{b}/edit"))
            .expect("b"),
    );
    assert!(pos_b < pos_a);
    assert!(today_list.contains("7 مشاهدات"), "{today_list}");
    let scheduled = html.split("المجدول للنشر").nth(1).expect("scheduled");
    assert!(scheduled.contains(&format!("/admin/articles/{later}/edit")));

    // The article's own days on its edit page.
    let (_, edit) = app.get_html(&format!("/admin/articles/{a}/edit")).await;
    assert_eq!(&table_numbers(&edit)[28..], &[5, 2]);

    // Filtered or further pages are lists only.
    let (_, filtered) = app.get_html("/admin?status=draft").await;
    assert!(!filtered.contains("dashboard-heading"));
}
