//! A bar chart of views per day, drawn on the server as SVG: no chart library, no script,
//! nothing the CSP would block (presentation attributes, no `style`). Arabic reads from
//! the right, so time runs right to left: the oldest day at the right edge, today at the
//! left. The same numbers are in a table beside it for screen readers and for copying.

use crate::core::arabic::dates::Digits;
use crate::core::arabic::plural::{self, Counted};
use crate::core::site::Site;
use crate::core::text::escape_html;
use crate::core::time::timestamp_to_utc;

const WIDTH: i64 = 600;
const HEIGHT: i64 = 160;
/// Room under the bars for the day numbers.
const AXIS: i64 = 22;

/// One day of the chart.
pub struct DayViews {
    /// "4 كانون الأول 2026"
    pub date: String,
    pub views: i64,
}

pub struct DailyChart {
    /// The chart, as markup to put in the page as it is.
    pub svg: String,
    /// Every day of the range, oldest first, zero days included.
    pub days: Vec<DayViews>,
    pub total: i64,
}

impl DailyChart {
    /// Days `first_day..=last_day` (UTC day numbers), with the views `counted` on some
    /// of them; `title` names the chart for assistive technology.
    pub fn new(
        counted: &[(i64, i64)],
        first_day: i64,
        last_day: i64,
        title: &str,
        site: &Site,
    ) -> Self {
        let date_of = |day: i64| site.dates.date(timestamp_to_utc(day * 86_400 + 12 * 3_600));
        let days: Vec<DayViews> = (first_day..=last_day)
            .map(|day| DayViews {
                date: date_of(day),
                views: counted
                    .iter()
                    .find(|(d, _)| *d == day)
                    .map_or(0, |(_, views)| *views),
            })
            .collect();
        let total = days.iter().map(|d| d.views).sum();
        let most = days.iter().map(|d| d.views).max().unwrap_or(0).max(1);
        let count = i64::try_from(days.len()).unwrap_or(1).max(1);
        let slot = WIDTH / count;
        let bar = (slot * 3 / 4).max(1);
        let plot = HEIGHT - AXIS;
        let mut svg = format!(
            "<svg class=\"daily-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
            escape_html(&format!(
                "{title}: {} في {}",
                Counted::new(total, &plural::VIEWS, Digits::Western),
                Counted::new(count, &plural::DAYS, Digits::Western)
            ))
        );
        svg.push_str(&format!(
            "<line x1=\"0\" y1=\"{plot}\" x2=\"{WIDTH}\" y2=\"{plot}\" stroke=\"#999\" stroke-width=\"1\"/>"
        ));
        for (i, day) in days.iter().enumerate() {
            let i = i64::try_from(i).unwrap_or(0);
            // The oldest at the right.
            let x = WIDTH - (i + 1) * slot + (slot - bar) / 2;
            let height = day.views * (plot - 4) / most;
            let y = plot - height;
            svg.push_str(&format!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{height}\" fill=\"#a4161a\"><title>{}: {}</title></rect>",
                escape_html(&day.date),
                day.views
            ));
            // A day number under every fifth bar, and under today's.
            if i % 5 == 0 || i == count - 1 {
                let label = day.date.split_whitespace().next().unwrap_or_default();
                svg.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
                    x + bar / 2,
                    HEIGHT - 6,
                    escape_html(label)
                ));
            }
        }
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"12\" font-size=\"12\" text-anchor=\"end\" fill=\"#555\">{most}</text></svg>",
            WIDTH - 2
        ));
        DailyChart { svg, days, total }
    }
}
