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
    // Walked by bytes, tags skipped whole: every article page rendered afresh counts its
    // whole body, so this is on the path of every article read from the archive.
    let bytes = body_html.as_bytes();
    let mut words: usize = 0;
    let mut in_word = false;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let (is_word, len) = match byte {
            b'<' => {
                in_word = false;
                at = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |end| at + end + 1);
                continue;
            }
            0..0x80 => (byte.is_ascii_alphanumeric(), 1),
            // Two-byte characters (Arabic among them), decoded here: valid UTF-8, so the
            // next byte is a continuation byte.
            0xC0..0xE0 => {
                let next = bytes.get(at + 1).map_or(0, |b| b & 0x3F);
                let code = (u32::from(byte & 0x1F) << 6) | u32::from(next);
                (char::from_u32(code).is_some_and(is_word_char), 2)
            }
            _ => match body_html.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) => (is_word_char(c), c.len_utf8()),
                None => (false, 1),
            },
        };
        if is_word && !in_word {
            words += 1;
        }
        in_word = is_word;
        at += len;
    }
    i64::try_from(words.div_ceil(WORDS_PER_MINUTE).max(1)).unwrap_or(i64::MAX)
}

/// `char::is_alphanumeric`, answered without Unicode's tables for Arabic letters and digits
/// and for ASCII: every article page counts every letter of its body, and the table
/// lookup was a quarter of the time of an article page rendered afresh.
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        // Arabic letters (hamza to yeh), the Arabic-Indic digits, and the letters after them.
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' => true,
        '\u{0671}'..='\u{06D3}' => true,
        // ASCII punctuation and spaces, and the Arabic comma, semicolon and question mark.
        '\u{0000}'..='\u{007F}' | '\u{060C}' | '\u{061B}' | '\u{061F}' => false,
        _ => c.is_alphanumeric(),
    }
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
        // A tag ends a word; an unclosed one runs to the end; a lone > is not a word.
        let words = "كلمة ".repeat(179);
        assert_eq!(reading_minutes(&format!("{words}و<b>جملة</b> > ثم")), 2);
        assert_eq!(reading_minutes(&format!("{words}كلمة <a href=\"x y z")), 1);
    }

    #[test]
    fn the_quick_word_test_agrees_with_unicode() {
        for c in ('\u{0}'..='\u{2FFF}').chain(['\u{FB50}', '\u{FE70}', '\u{1F600}']) {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }
}
