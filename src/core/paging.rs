//! Pages of long lists: `?page=N`.

/// The highest page number a list accepts; beyond it every list is empty anyway.
pub const MAX_PAGE: i64 = 1_000_000;

/// `?page=N`: absent means 1; anything but a plain positive number up to [`MAX_PAGE`] is a
/// page that does not exist (`None`).
pub fn parse_page(raw: Option<&str>) -> Option<i64> {
    match raw {
        None => Some(1),
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|page| (1..=MAX_PAGE).contains(page)),
    }
}

/// What part `n` (from 1) of a sitemap split into parts of `max` URLs lists, the site's
/// URLs being `fixed` pages (home, sections) followed by `articles` articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapPart {
    /// The fixed pages come first, in part 1.
    pub with_fixed: bool,
    /// Positions among the articles (0 = the newest).
    pub articles: std::ops::Range<i64>,
}

/// How many parts the sitemap has: 1 when every URL fits one sitemap, which is then the
/// sitemap itself rather than an index of parts.
pub fn sitemap_parts(fixed: i64, articles: i64, max: i64) -> i64 {
    let urls = fixed + articles;
    ((urls + max - 1) / max.max(1)).max(1)
}

/// Part `n` (from 1), or None if there is no such part.
pub fn sitemap_part(n: i64, fixed: i64, articles: i64, max: i64) -> Option<SitemapPart> {
    let max = max.max(1);
    if n < 1 || n > sitemap_parts(fixed, articles, max) {
        return None;
    }
    let (start, end) = ((n - 1) * max, n * max);
    Some(SitemapPart {
        with_fixed: n == 1,
        articles: (start - fixed).max(0)..(end - fixed).min(articles).max(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_parts_cover_every_url_once() {
        for (fixed, articles, max) in [
            (2, 0, 3),
            (2, 1, 3),
            (2, 11, 3),
            (3, 4, 3),
            (1, 100, 7),
            (5, 49_996, 50_000),
        ] {
            let parts = sitemap_parts(fixed, articles, max);
            let mut covered = Vec::new();
            let mut fixed_seen = 0;
            for n in 1..=parts {
                let part = sitemap_part(n, fixed, articles, max).unwrap();
                let urls = part.articles.end - part.articles.start
                    + if part.with_fixed { fixed } else { 0 };
                assert!(
                    urls <= max || parts == 1,
                    "{fixed} {articles} {max}: part {n}"
                );
                fixed_seen += i64::from(part.with_fixed);
                covered.extend(part.articles);
            }
            assert_eq!(fixed_seen, 1);
            assert_eq!(covered, (0..articles).collect::<Vec<_>>());
            assert_eq!(sitemap_part(parts + 1, fixed, articles, max), None);
            assert_eq!(sitemap_part(0, fixed, articles, max), None);
        }
        assert_eq!(sitemap_parts(5, 49_995, 50_000), 1);
        assert_eq!(sitemap_parts(5, 49_996, 50_000), 2);
    }

    #[test]
    fn page_numbers_are_plain_positive_numbers() {
        assert_eq!(parse_page(None), Some(1));
        assert_eq!(parse_page(Some("3")), Some(3));
        for bad in ["0", "-1", "x", "", "1.5", "1000001", "99999999999999999999"] {
            assert_eq!(parse_page(Some(bad)), None, "{bad}");
        }
    }
}
