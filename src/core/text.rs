//! Checks shared by every text field an editor fills in.

/// Characters that have no place in a one-line field: control characters (U+0000…) and the
/// bidi embedding/override/isolate controls, which can make a headline display as something
/// other than what it says. The marks U+200E/U+200F (LRM/RLM) stay allowed: Arabic text
/// legitimately needs them.
pub fn has_forbidden_inline_chars(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
}

/// Multi-line fields may hold line breaks and tabs, but no other control characters.
pub fn has_forbidden_block_chars(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// `text` as HTML that shows it as it is: `&`, `<`, `>` and both quotes escaped, so it
/// is safe in element content and in quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_fields_refuse_controls_and_bidi_overrides() {
        assert!(has_forbidden_inline_chars("عنوان\u{202E}معكوس"));
        assert!(has_forbidden_inline_chars("عنوان\u{0000}"));
        assert!(has_forbidden_inline_chars("سطر\nثان"));
        assert!(has_forbidden_inline_chars("\u{2067}عزل"));
        assert!(!has_forbidden_inline_chars("عنوان عادي مع Latin و 11:32"));
        assert!(!has_forbidden_inline_chars("علامة\u{200F}اتجاه"));
    }

    #[test]
    fn block_fields_allow_line_breaks_only() {
        assert!(!has_forbidden_block_chars("فقرة\r\n\r\nفقرة\tثانية"));
        assert!(has_forbidden_block_chars("فقرة\u{0000}"));
    }
}

/// Words a reader reads in a minute of Arabic news prose (silent reading of Arabic runs
/// slower than of English; 180 is the common middle of the measured range).
const WORDS_PER_MINUTE: usize = 180;

/// Minutes to read an article whose body is `body_html` (tags are not words), at least 1.
pub fn reading_minutes(body_html: &str) -> i64 {
    let mut words: usize = 0;
    let mut in_tag = false;
    let mut in_word = false;
    for c in body_html.chars() {
        match c {
            '<' => {
                in_tag = true;
                in_word = false;
            }
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            c if c.is_alphanumeric() => {
                if !in_word {
                    words += 1;
                }
                in_word = true;
            }
            _ => in_word = false,
        }
    }
    i64::try_from(words.div_ceil(WORDS_PER_MINUTE).max(1)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod reading_time_tests {
    use super::*;

    #[test]
    fn reading_time_counts_words_not_markup() {
        assert_eq!(reading_minutes(""), 1);
        let paragraph = format!(
            "<p class=\"long attribute words\">{}</p>",
            "كلمة ".repeat(180)
        );
        assert_eq!(reading_minutes(&paragraph), 1);
        assert_eq!(reading_minutes(&paragraph.repeat(5)), 5);
        assert_eq!(reading_minutes(&format!("{paragraph}<p>كلمة</p>")), 2);
    }
}
