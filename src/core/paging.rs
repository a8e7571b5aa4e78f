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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_plain_positive_numbers() {
        assert_eq!(parse_page(None), Some(1));
        assert_eq!(parse_page(Some("3")), Some(3));
        for bad in ["0", "-1", "x", "", "1.5", "1000001", "99999999999999999999"] {
            assert_eq!(parse_page(Some(bad)), None, "{bad}");
        }
    }
}
