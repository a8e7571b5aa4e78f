//! Arabic date and time formatting for article pages.
//!
//! Everything here is pure: an instant in UTC goes in, text comes out, and
//! the newsroom's time zone, month-name convention, digit shapes and the
//! optional Hijri date are all carried by [`DateFormatter`].

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use icu_calendar::Date;
use icu_calendar::cal::Hijri;

/// Which set of Gregorian month names to print.
///
/// The Levant and Iraq use the Syriac-derived names, Egypt and the Gulf use
/// names borrowed from French/English; pan-Arab outlets often print both so
/// every reader recognises the month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MonthStyle {
    /// كانون الثاني، شباط، …
    #[default]
    Levantine,
    /// يناير، فبراير، …
    Egyptian,
    /// كانون الثاني/يناير
    Both,
}

/// Which digit shapes human-readable output uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Digits {
    /// 0123456789
    #[default]
    Western,
    /// ٠١٢٣٤٥٦٧٨٩ (U+0660..U+0669)
    ArabicIndic,
}

const LEVANTINE_MONTHS: [&str; 12] = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
];

const EGYPTIAN_MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

const HIJRI_MONTHS: [&str; 12] = [
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
];

/// Suffix that marks a year as Hijri (هجري).
const HIJRI_YEAR_MARK: &str = "هـ";

/// `value` (trimmed, any case) as one of `choices`, or a message naming them all.
fn parse_choice<T: Copy>(value: &str, what: &str, choices: &[(&str, T)]) -> Result<T, String> {
    let value = value.trim();
    choices
        .iter()
        .find(|(name, _)| value.eq_ignore_ascii_case(name))
        .map(|&(_, choice)| choice)
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
            format!(
                "unknown {what} {value:?}: expected one of {}",
                names.join(", ")
            )
        })
}

impl FromStr for MonthStyle {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        parse_choice(
            value,
            "month style",
            &[
                ("levantine", Self::Levantine),
                ("egyptian", Self::Egyptian),
                ("both", Self::Both),
            ],
        )
    }
}

impl FromStr for Digits {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        parse_choice(
            value,
            "digits setting",
            &[("western", Self::Western), ("arabic", Self::ArabicIndic)],
        )
    }
}

/// Looks up a 1-based month in a 12-entry table.
fn nth_month(table: &[&'static str; 12], month: u32) -> Option<&'static str> {
    let index = usize::try_from(month.checked_sub(1)?).ok()?;
    table.get(index).copied()
}

/// Arabic name of a Gregorian month (1 = January).
///
/// A month outside 1..=12 comes back as its number, so a bad value shows up
/// on the page instead of taking the whole render down.
#[must_use]
pub fn month_name(month: u32, style: MonthStyle) -> String {
    let levantine = nth_month(&LEVANTINE_MONTHS, month);
    let egyptian = nth_month(&EGYPTIAN_MONTHS, month);
    match (style, levantine, egyptian) {
        (MonthStyle::Levantine, Some(name), _) | (MonthStyle::Egyptian, _, Some(name)) => {
            name.to_owned()
        }
        (MonthStyle::Both, Some(levantine), Some(egyptian)) => format!("{levantine}/{egyptian}"),
        _ => month.to_string(),
    }
}

/// Arabic name of a day of the week.
#[must_use]
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Sun => "الأحد",
        Weekday::Mon => "الإثنين",
        Weekday::Tue => "الثلاثاء",
        Weekday::Wed => "الأربعاء",
        Weekday::Thu => "الخميس",
        Weekday::Fri => "الجمعة",
        Weekday::Sat => "السبت",
    }
}

/// Replaces ASCII digits with Arabic-Indic ones when `digits` asks for them.
///
/// Only ASCII 0-9 are touched: digits that are already Arabic-Indic (or
/// Persian, or anything else) pass through as they are.
#[must_use]
pub fn localize_digits(text: &str, digits: Digits) -> String {
    match digits {
        Digits::Western => text.to_owned(),
        Digits::ArabicIndic => text.chars().map(to_arabic_indic).collect(),
    }
}

fn to_arabic_indic(character: char) -> char {
    const ARABIC_INDIC_ZERO: u32 = 0x0660;
    // `to_digit(10)` only recognises ASCII digits, which is exactly the set
    // to replace.
    character
        .to_digit(10)
        .and_then(|value| char::from_u32(ARABIC_INDIC_ZERO + value))
        .unwrap_or(character)
}

/// Formats instants for readers in one newsroom's conventions.
#[derive(Clone, Copy, Debug)]
pub struct DateFormatter {
    /// The newsroom's zone: every date and time is shown as local time there.
    pub tz: Tz,
    /// Which Gregorian month names to print.
    pub months: MonthStyle,
    /// Digit shapes for everything except [`DateFormatter::machine`].
    pub digits: Digits,
    /// Whether [`DateFormatter::hijri_date`] produces anything.
    pub hijri: bool,
}

impl DateFormatter {
    /// A formatter for `tz` with Levantine months, Western digits and no Hijri date.
    #[must_use]
    pub fn new(tz: Tz) -> Self {
        Self {
            tz,
            months: MonthStyle::default(),
            digits: Digits::default(),
            hijri: false,
        }
    }

    /// Weekday, date and time, e.g. "الجمعة 6 كانون الثاني 2017 - 11:32".
    #[must_use]
    pub fn date_time(&self, instant: DateTime<Utc>) -> String {
        let local = self.local(instant);
        let text = format!(
            "{} {} - {}",
            weekday_name(local.weekday()),
            self.gregorian_date(&local),
            clock_time(&local)
        );
        localize_digits(&text, self.digits)
    }

    /// Weekday and date, e.g. "الجمعة 6 كانون الثاني 2017" (the header's line of today),
    /// with the Hijri date after it when the site shows it.
    #[must_use]
    pub fn day_line(&self, instant: DateTime<Utc>) -> String {
        let local = self.local(instant);
        let mut line = format!(
            "{} {}",
            weekday_name(local.weekday()),
            self.gregorian_date(&local)
        );
        if let Some(hijri) = self.hijri_date(instant) {
            line.push_str(" — ");
            line.push_str(&hijri);
        }
        localize_digits(&line, self.digits)
    }

    /// Day, month and year, e.g. "6 كانون الثاني 2017".
    #[must_use]
    pub fn date(&self, instant: DateTime<Utc>) -> String {
        localize_digits(&self.gregorian_date(&self.local(instant)), self.digits)
    }

    /// 24-hour clock time, e.g. "11:32" or "00:05".
    #[must_use]
    pub fn time(&self, instant: DateTime<Utc>) -> String {
        localize_digits(&clock_time(&self.local(instant)), self.digits)
    }

    /// RFC 3339 with the newsroom's offset, e.g. "2017-01-06T11:32:00+02:00".
    ///
    /// Meant for `<time datetime>` and feeds, which machines parse, so the
    /// digits are always ASCII whatever `self.digits` says.
    #[must_use]
    pub fn machine(&self, instant: DateTime<Utc>) -> String {
        // An explicit offset even for UTC ("+00:00", not "Z") keeps every
        // newsroom's output in the same shape.
        self.local(instant)
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }

    /// The Umm al-Qura Hijri date of the same local day, e.g.
    /// "8 ربيع الآخر 1438 هـ"; `None` when `self.hijri` is off.
    ///
    /// Also `None` for the rare instant the calendar library cannot place
    /// (before 1 AH, or beyond its supported range), because there is no
    /// sensible Hijri date to print beside such an article.
    ///
    /// The religious Hijri day begins at sunset, but a newspaper prints the
    /// civil correspondence (the Hijri date of the Gregorian day), which is
    /// what this returns.
    #[must_use]
    pub fn hijri_date(&self, instant: DateTime<Utc>) -> Option<String> {
        if !self.hijri {
            return None;
        }
        let local = self.local(instant);
        let iso = Date::try_new_iso(
            local.year(),
            u8::try_from(local.month()).ok()?,
            u8::try_from(local.day()).ok()?,
        )
        .ok()?;
        // Umm al-Qura is Saudi Arabia's official calendar and the one most
        // Arabic newspapers print; ICU4X ships its published tables.
        let hijri = iso.to_calendar(Hijri::new_umm_al_qura());
        let year = hijri.era_year();
        if year.era.as_str() != "ah" {
            return None;
        }
        let month = nth_month(&HIJRI_MONTHS, u32::from(hijri.month().ordinal))?;
        let text = format!(
            "{} {month} {} {HIJRI_YEAR_MARK}",
            hijri.day_of_month().0,
            year.year
        );
        Some(localize_digits(&text, self.digits))
    }

    fn local(&self, instant: DateTime<Utc>) -> DateTime<Tz> {
        instant.with_timezone(&self.tz)
    }

    /// "6 كانون الثاني 2017", still with ASCII digits.
    fn gregorian_date(&self, local: &DateTime<Tz>) -> String {
        format!(
            "{} {} {}",
            local.day(),
            month_name(local.month(), self.months),
            local.year()
        )
    }
}

/// "HH:MM", 24-hour, with ASCII digits.
fn clock_time(local: &DateTime<Tz>) -> String {
    format!("{:02}:{:02}", local.hour(), local.minute())
}

impl fmt::Display for MonthStyle {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Levantine => "levantine",
            Self::Egyptian => "egyptian",
            Self::Both => "both",
        })
    }
}

impl fmt::Display for Digits {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Western => "western",
            Self::ArabicIndic => "arabic",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::{Africa, Asia, UTC};

    fn utc(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
            .single()
            .unwrap()
    }

    fn damascus() -> DateFormatter {
        DateFormatter::new(Asia::Damascus)
    }

    fn with_hijri(tz: Tz) -> DateFormatter {
        DateFormatter {
            hijri: true,
            ..DateFormatter::new(tz)
        }
    }

    // Spelled out here rather than read from the module's tables, so a typo
    // in a table cannot agree with itself.
    const EXPECTED_LEVANTINE: [&str; 12] = [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ];
    const EXPECTED_EGYPTIAN: [&str; 12] = [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ];

    #[test]
    fn the_day_line_is_the_newsroom_s_day() {
        // 22:30 UTC on a Friday is already Saturday in Damascus.
        let instant = utc(2017, 1, 6, 22, 30);
        assert_eq!(damascus().day_line(instant), "السبت 7 كانون الثاني 2017");
        assert!(
            with_hijri(Asia::Damascus)
                .day_line(instant)
                .starts_with("السبت 7 كانون الثاني 2017 — ")
        );
    }

    #[test]
    fn levantine_month_names() {
        for (month, expected) in (1..=12).zip(EXPECTED_LEVANTINE) {
            assert_eq!(month_name(month, MonthStyle::Levantine), expected);
        }
    }

    #[test]
    fn egyptian_month_names() {
        for (month, expected) in (1..=12).zip(EXPECTED_EGYPTIAN) {
            assert_eq!(month_name(month, MonthStyle::Egyptian), expected);
        }
    }

    #[test]
    fn both_month_names_join_levantine_and_egyptian_with_a_slash() {
        let expected = [
            "كانون الثاني/يناير",
            "شباط/فبراير",
            "آذار/مارس",
            "نيسان/أبريل",
            "أيار/مايو",
            "حزيران/يونيو",
            "تموز/يوليو",
            "آب/أغسطس",
            "أيلول/سبتمبر",
            "تشرين الأول/أكتوبر",
            "تشرين الثاني/نوفمبر",
            "كانون الأول/ديسمبر",
        ];
        for (month, expected) in (1..=12).zip(expected) {
            assert_eq!(month_name(month, MonthStyle::Both), expected);
        }
    }

    #[test]
    fn out_of_range_month_falls_back_to_its_number() {
        for style in [
            MonthStyle::Levantine,
            MonthStyle::Egyptian,
            MonthStyle::Both,
        ] {
            assert_eq!(month_name(0, style), "0");
            assert_eq!(month_name(13, style), "13");
            assert_eq!(month_name(u32::MAX, style), u32::MAX.to_string());
        }
    }

    #[test]
    fn weekday_names_for_all_seven_days() {
        let expected = [
            (Weekday::Sun, "الأحد"),
            (Weekday::Mon, "الإثنين"),
            (Weekday::Tue, "الثلاثاء"),
            (Weekday::Wed, "الأربعاء"),
            (Weekday::Thu, "الخميس"),
            (Weekday::Fri, "الجمعة"),
            (Weekday::Sat, "السبت"),
        ];
        for (day, name) in expected {
            assert_eq!(weekday_name(day), name);
        }
    }

    #[test]
    fn weekday_in_output_matches_the_calendar() {
        // 2017-01-01 was a Sunday; walk a whole week at local noon.
        let expected = [
            "الأحد",
            "الإثنين",
            "الثلاثاء",
            "الأربعاء",
            "الخميس",
            "الجمعة",
            "السبت",
        ];
        for (day, name) in (1..=7).zip(expected) {
            let text = damascus().date_time(utc(2017, 1, day, 10, 0));
            assert_eq!(
                text,
                format!("{name} {day} كانون الثاني 2017 - 12:00"),
                "day {day}"
            );
        }
    }

    #[test]
    fn localize_digits_maps_only_ascii_digits() {
        assert_eq!(
            localize_digits("2017-01-06 11:32", Digits::ArabicIndic),
            "٢٠١٧-٠١-٠٦ ١١:٣٢"
        );
        assert_eq!(
            localize_digits("0123456789", Digits::ArabicIndic),
            "٠١٢٣٤٥٦٧٨٩"
        );
        // Already Arabic-Indic, Persian digits, letters and punctuation stay.
        assert_eq!(
            localize_digits("٣ ۴ abc كانون ½ -:/", Digits::ArabicIndic),
            "٣ ۴ abc كانون ½ -:/"
        );
        assert_eq!(localize_digits("", Digits::ArabicIndic), "");
    }

    #[test]
    fn western_digits_leave_text_alone() {
        assert_eq!(
            localize_digits("2017 ٢٠١٧ كانون", Digits::Western),
            "2017 ٢٠١٧ كانون"
        );
    }

    #[test]
    fn date_time_converts_to_damascus_winter_time() {
        let instant = utc(2017, 1, 6, 9, 32);
        let formatter = damascus();
        assert_eq!(
            formatter.date_time(instant),
            "الجمعة 6 كانون الثاني 2017 - 11:32"
        );
        assert_eq!(formatter.date(instant), "6 كانون الثاني 2017");
        assert_eq!(formatter.time(instant), "11:32");
    }

    #[test]
    fn late_utc_evening_is_already_the_next_day_in_damascus() {
        // 22:30 UTC on Friday is 00:30 on Saturday at +02:00.
        let instant = utc(2017, 1, 6, 22, 30);
        assert_eq!(
            damascus().date_time(instant),
            "السبت 7 كانون الثاني 2017 - 00:30"
        );
        assert_eq!(
            DateFormatter::new(UTC).date_time(instant),
            "الجمعة 6 كانون الثاني 2017 - 22:30"
        );
    }

    #[test]
    fn new_year_rolls_over_month_and_year_in_local_time() {
        let instant = utc(2016, 12, 31, 23, 5);
        assert_eq!(
            damascus().date_time(instant),
            "الأحد 1 كانون الثاني 2017 - 01:05"
        );
    }

    #[test]
    fn midnight_is_00_00() {
        let instant = utc(2017, 1, 6, 22, 0);
        assert_eq!(damascus().time(instant), "00:00");
        assert_eq!(
            damascus().date_time(instant),
            "السبت 7 كانون الثاني 2017 - 00:00"
        );
        assert_eq!(DateFormatter::new(UTC).time(utc(2017, 1, 6, 0, 0)), "00:00");
    }

    #[test]
    fn noon_is_12_00_not_a_12_hour_clock() {
        assert_eq!(damascus().time(utc(2017, 1, 6, 10, 0)), "12:00");
        assert_eq!(damascus().time(utc(2017, 1, 6, 11, 7)), "13:07");
        assert_eq!(damascus().time(utc(2017, 1, 6, 21, 59)), "23:59");
    }

    #[test]
    fn single_digit_minutes_and_hours_are_zero_padded_but_days_are_not() {
        let instant = utc(2017, 3, 1, 7, 5);
        assert_eq!(damascus().date(instant), "1 آذار 2017");
        assert_eq!(damascus().time(instant), "09:05");
    }

    #[test]
    fn damascus_summer_time_before_2022_is_plus_three() {
        // Syria still switched between +02 and +03 in 2017.
        let instant = utc(2017, 7, 15, 12, 0);
        assert_eq!(damascus().time(instant), "15:00");
        assert_eq!(damascus().machine(instant), "2017-07-15T15:00:00+03:00");
    }

    #[test]
    fn damascus_is_permanently_plus_three_since_late_2022() {
        // chrono-tz follows tzdata 2022f: no return to +02 in winter 2022 on.
        let winter = utc(2024, 1, 15, 9, 32);
        assert_eq!(damascus().machine(winter), "2024-01-15T12:32:00+03:00");
        assert_eq!(
            damascus().date_time(winter),
            "الإثنين 15 كانون الثاني 2024 - 12:32"
        );
        let summer = utc(2023, 7, 15, 21, 30);
        assert_eq!(damascus().machine(summer), "2023-07-16T00:30:00+03:00");
        assert_eq!(damascus().date_time(summer), "الأحد 16 تموز 2023 - 00:30");
    }

    #[test]
    fn cairo_conversion() {
        let formatter = DateFormatter {
            months: MonthStyle::Egyptian,
            ..DateFormatter::new(Africa::Cairo)
        };
        assert_eq!(
            formatter.date_time(utc(2017, 1, 6, 9, 32)),
            "الجمعة 6 يناير 2017 - 11:32"
        );
    }

    #[test]
    fn month_style_applies_to_dates() {
        let instant = utc(2017, 1, 6, 9, 32);
        let with = |months| DateFormatter {
            months,
            ..damascus()
        };
        assert_eq!(with(MonthStyle::Egyptian).date(instant), "6 يناير 2017");
        assert_eq!(
            with(MonthStyle::Both).date_time(instant),
            "الجمعة 6 كانون الثاني/يناير 2017 - 11:32"
        );
    }

    #[test]
    fn arabic_indic_digits_in_human_readable_output() {
        let formatter = DateFormatter {
            digits: Digits::ArabicIndic,
            hijri: true,
            ..damascus()
        };
        let instant = utc(2017, 1, 6, 9, 32);
        assert_eq!(
            formatter.date_time(instant),
            "الجمعة ٦ كانون الثاني ٢٠١٧ - ١١:٣٢"
        );
        assert_eq!(formatter.date(instant), "٦ كانون الثاني ٢٠١٧");
        assert_eq!(formatter.time(instant), "١١:٣٢");
        assert_eq!(
            formatter.hijri_date(instant).as_deref(),
            Some("٨ ربيع الآخر ١٤٣٨ هـ")
        );
    }

    #[test]
    fn machine_is_rfc3339_with_the_newsroom_offset() {
        let instant = utc(2017, 1, 6, 9, 32);
        assert_eq!(damascus().machine(instant), "2017-01-06T11:32:00+02:00");
        assert_eq!(
            DateFormatter::new(UTC).machine(instant),
            "2017-01-06T09:32:00+00:00"
        );
        let parsed = DateTime::parse_from_rfc3339(&damascus().machine(instant)).unwrap();
        assert_eq!(parsed, instant);
    }

    #[test]
    fn machine_ignores_the_digits_setting() {
        let formatter = DateFormatter {
            digits: Digits::ArabicIndic,
            ..damascus()
        };
        assert_eq!(
            formatter.machine(utc(2017, 1, 6, 9, 32)),
            "2017-01-06T11:32:00+02:00"
        );
    }

    #[test]
    fn machine_drops_fractional_seconds() {
        let instant = Utc
            .with_ymd_and_hms(2017, 1, 6, 9, 32, 45)
            .single()
            .unwrap()
            + chrono::Duration::milliseconds(678);
        assert_eq!(damascus().machine(instant), "2017-01-06T11:32:45+02:00");
    }

    #[test]
    fn month_style_from_str_is_case_insensitive() {
        assert_eq!("levantine".parse(), Ok(MonthStyle::Levantine));
        assert_eq!("Egyptian".parse(), Ok(MonthStyle::Egyptian));
        assert_eq!("BOTH".parse(), Ok(MonthStyle::Both));
        assert_eq!(" both\n".parse(), Ok(MonthStyle::Both));
    }

    #[test]
    fn month_style_from_str_rejects_unknown_values() {
        for bad in ["", "gulf", "levant", "كانون", "both,egyptian"] {
            let error = bad.parse::<MonthStyle>().unwrap_err();
            assert!(error.contains("levantine, egyptian, both"), "{error}");
        }
    }

    #[test]
    fn digits_from_str() {
        assert_eq!("western".parse(), Ok(Digits::Western));
        assert_eq!("Arabic".parse(), Ok(Digits::ArabicIndic));
        assert_eq!("ARABIC".parse(), Ok(Digits::ArabicIndic));
        for bad in ["", "eastern", "arabic-indic", "hindi", "٠"] {
            let error = bad.parse::<Digits>().unwrap_err();
            assert!(error.contains("western, arabic"), "{error}");
        }
    }

    #[test]
    fn display_round_trips_through_from_str() {
        for style in [
            MonthStyle::Levantine,
            MonthStyle::Egyptian,
            MonthStyle::Both,
        ] {
            assert_eq!(style.to_string().parse(), Ok(style));
        }
        for digits in [Digits::Western, Digits::ArabicIndic] {
            assert_eq!(digits.to_string().parse(), Ok(digits));
        }
    }

    #[test]
    fn defaults() {
        assert_eq!(MonthStyle::default(), MonthStyle::Levantine);
        assert_eq!(Digits::default(), Digits::Western);
        let formatter = damascus();
        assert_eq!(formatter.months, MonthStyle::Levantine);
        assert_eq!(formatter.digits, Digits::Western);
        assert!(!formatter.hijri);
    }

    #[test]
    fn hijri_date_is_none_when_disabled() {
        assert_eq!(damascus().hijri_date(utc(2017, 1, 6, 9, 32)), None);
    }

    #[test]
    fn hijri_dates_match_umm_al_qura() {
        let formatter = with_hijri(Asia::Riyadh);
        let cases = [
            ((2017, 1, 6), "8 ربيع الآخر 1438 هـ"),
            // Ramadan 1445 began on Monday 11 March 2024.
            ((2024, 3, 10), "29 شعبان 1445 هـ"),
            ((2024, 3, 11), "1 رمضان 1445 هـ"),
            // Eid al-Fitr 1445 on 10 April 2024.
            ((2024, 4, 10), "1 شوال 1445 هـ"),
            // Hijri new year 1446 on 7 July 2024.
            ((2024, 7, 7), "1 محرم 1446 هـ"),
            ((2024, 1, 15), "3 رجب 1445 هـ"),
        ];
        for ((year, month, day), expected) in cases {
            assert_eq!(
                formatter.hijri_date(utc(year, month, day, 9, 0)).as_deref(),
                Some(expected),
                "{year}-{month}-{day}"
            );
        }
    }

    #[test]
    fn hijri_month_names_all_appear_over_a_year() {
        // 1 Muharram 1446 is 7 July 2024; stepping 30 days from the 10th of
        // that month stays well inside each following month.
        let formatter = with_hijri(Asia::Riyadh);
        let start = utc(2024, 7, 16, 9, 0);
        let expected = [
            "محرم",
            "صفر",
            "ربيع الأول",
            "ربيع الآخر",
            "جمادى الأولى",
            "جمادى الآخرة",
            "رجب",
            "شعبان",
            "رمضان",
            "شوال",
            "ذو القعدة",
            "ذو الحجة",
        ];
        for (step, month) in (0..).zip(expected) {
            let instant = start + chrono::Duration::days(29 * step);
            let text = formatter.hijri_date(instant).unwrap();
            assert!(
                text.contains(&format!(" {month} 1446 ")),
                "step {step}: {text}"
            );
        }
    }

    #[test]
    fn hijri_date_follows_the_local_day() {
        // 22:30 UTC on 10 March 2024 is already 11 March in Damascus (+03).
        let instant = utc(2024, 3, 10, 22, 30);
        assert_eq!(
            with_hijri(Asia::Damascus).hijri_date(instant).as_deref(),
            Some("1 رمضان 1445 هـ")
        );
        assert_eq!(
            with_hijri(UTC).hijri_date(instant).as_deref(),
            Some("29 شعبان 1445 هـ")
        );
    }

    #[test]
    fn hijri_date_is_none_outside_the_supported_range() {
        let formatter = with_hijri(UTC);
        // Before 1 AH.
        assert_eq!(formatter.hijri_date(utc(500, 1, 1, 0, 0)), None);
        // Beyond the calendar library's year range.
        assert_eq!(formatter.hijri_date(utc(20000, 1, 1, 0, 0)), None);
    }
}
