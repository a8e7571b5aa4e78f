//! Counted nouns with Arabic number agreement: "مشاهدة واحدة", "مشاهدتان",
//! "3 مشاهدات", "11 مشاهدة", "103 مشاهدات". Which form a number takes comes from the CLDR
//! plural rules for Arabic (zero, one, two, few, many, other) through ICU4X, not from a
//! hand-written table of ranges: 103 and 110 are "few" like 3 and 10, 1002 is "other".

use icu_locale_core::locale;
use icu_plurals::{PluralCategory, PluralRules};

use super::dates::{Digits, localize_digits};

/// The forms of one noun. `one` and `two` are whole phrases (Arabic says "مشاهدتان", not
/// "2 مشاهدة"); the others follow the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Noun {
    /// For 0: a phrase of its own when Arabic has one ("لا نتائج"), else `None` and
    /// the number is shown with `other`.
    pub zero: Option<&'static str>,
    pub one: &'static str,
    pub two: &'static str,
    /// 3–10 (and 103–110, …): the plural.
    pub few: &'static str,
    /// 11–99 (and 111–199, …): the singular, as the accusative of specification.
    pub many: &'static str,
    /// 100–102, 1000, …: the singular.
    pub other: &'static str,
}

pub const VIEWS: Noun = Noun {
    zero: None,
    one: "مشاهدة واحدة",
    two: "مشاهدتان",
    few: "مشاهدات",
    many: "مشاهدة",
    other: "مشاهدة",
};

pub const RESULTS: Noun = Noun {
    zero: Some("لا نتائج"),
    one: "نتيجة واحدة",
    two: "نتيجتان",
    few: "نتائج",
    many: "نتيجة",
    other: "نتيجة",
};

pub const ARTICLES: Noun = Noun {
    zero: Some("لا أخبار"),
    one: "خبر واحد",
    two: "خبران",
    few: "أخبار",
    many: "خبرًا",
    other: "خبر",
};

pub const MINUTES: Noun = Noun {
    zero: None,
    one: "دقيقة واحدة",
    two: "دقيقتان",
    few: "دقائق",
    many: "دقيقة",
    other: "دقيقة",
};

pub const DAYS: Noun = Noun {
    zero: None,
    one: "يوم واحد",
    two: "يومان",
    few: "أيام",
    many: "يومًا",
    other: "يوم",
};

pub const PAGES: Noun = Noun {
    zero: None,
    one: "صفحة واحدة",
    two: "صفحتان",
    few: "صفحات",
    many: "صفحة",
    other: "صفحة",
};

thread_local! {
    // ICU4X data is not shared between threads (it is reference-counted without atomics):
    // each worker thread loads the rules once.
    static ARABIC_CARDINAL: Option<PluralRules> =
        PluralRules::try_new_cardinal(locale!("ar").into()).ok();
}

/// The CLDR category of `n` in Arabic.
pub fn category(n: i64) -> PluralCategory {
    // The data is compiled into the binary; the fallback only matters if it were not,
    // and then follows the same rule for whole numbers.
    ARABIC_CARDINAL.with(|rules| match rules {
        Some(rules) => rules.category_for(n),
        None => match (n, n.rem_euclid(100)) {
            (0, _) => PluralCategory::Zero,
            (1, _) => PluralCategory::One,
            (2, _) => PluralCategory::Two,
            (_, 3..=10) => PluralCategory::Few,
            (_, 11..=99) => PluralCategory::Many,
            _ => PluralCategory::Other,
        },
    })
}

/// A count as shown: the number (in the site's digits) when the phrase has one, and the
/// words. Pages put the number in `<bdi>`; [`Counted::html`] does that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub number: Option<String>,
    pub words: &'static str,
}

impl Counted {
    pub fn new(n: i64, noun: &Noun, digits: Digits) -> Self {
        let number = || Some(localize_digits(&n.to_string(), digits));
        let (number, words) = match category(n) {
            PluralCategory::Zero => match noun.zero {
                Some(phrase) => (None, phrase),
                None => (number(), noun.other),
            },
            PluralCategory::One => (None, noun.one),
            PluralCategory::Two => (None, noun.two),
            PluralCategory::Few => (number(), noun.few),
            PluralCategory::Many => (number(), noun.many),
            PluralCategory::Other => (number(), noun.other),
        };
        Counted { number, words }
    }

    /// As markup: `<bdi>N</bdi> words`, or the words alone. Safe to put in a page as is:
    /// the number is digits and the words are ours.
    pub fn html(&self) -> String {
        match &self.number {
            Some(number) => format!("<bdi>{number}</bdi> {}", self.words),
            None => self.words.to_owned(),
        }
    }
}

impl std::fmt::Display for Counted {
    /// As plain text: `N words`, or the words alone.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.number {
            Some(number) => write!(f, "{number} {}", self.words),
            None => f.write_str(self.words),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn views(n: i64) -> String {
        Counted::new(n, &VIEWS, Digits::Western).to_string()
    }

    #[test]
    fn views_agree_with_their_number() {
        let table = [
            (0, "0 مشاهدة"),
            (1, "مشاهدة واحدة"),
            (2, "مشاهدتان"),
            (3, "3 مشاهدات"),
            (10, "10 مشاهدات"),
            (11, "11 مشاهدة"),
            (99, "99 مشاهدة"),
            (100, "100 مشاهدة"),
            (101, "101 مشاهدة"),
            (102, "102 مشاهدة"),
            (103, "103 مشاهدات"),
            (110, "110 مشاهدات"),
            (111, "111 مشاهدة"),
            (363, "363 مشاهدة"),
            (1000, "1000 مشاهدة"),
            (1002, "1002 مشاهدة"),
            (1003, "1003 مشاهدات"),
        ];
        for (n, expected) in table {
            assert_eq!(views(n), expected, "{n}");
        }
    }

    #[test]
    fn results_say_none_and_take_their_plural() {
        let results = |n| Counted::new(n, &RESULTS, Digits::Western).to_string();
        assert_eq!(results(0), "لا نتائج");
        assert_eq!(results(1), "نتيجة واحدة");
        assert_eq!(results(2), "نتيجتان");
        assert_eq!(results(103), "103 نتائج");
        assert_eq!(results(25), "25 نتيجة");
        assert_eq!(results(1000), "1000 نتيجة");
    }

    #[test]
    fn the_number_follows_the_digits_setting_and_sits_in_bdi() {
        let counted = Counted::new(363, &VIEWS, Digits::ArabicIndic);
        assert_eq!(counted.html(), "<bdi>٣٦٣</bdi> مشاهدة");
        assert_eq!(
            Counted::new(5, &MINUTES, Digits::ArabicIndic).to_string(),
            "٥ دقائق"
        );
        assert_eq!(
            Counted::new(2, &VIEWS, Digits::ArabicIndic).html(),
            "مشاهدتان"
        );
    }

    #[test]
    fn the_categories_are_cldr_s() {
        // Negative numbers and huge ones never panic; the stand-in the page cache cuts
        // around (18 digits) is "many".
        assert_eq!(category(918_273_645_546_372_819), PluralCategory::Many);
        assert_eq!(category(-3), PluralCategory::Few);
        assert_eq!(category(i64::MAX), PluralCategory::Few); // …807
    }
}
