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
