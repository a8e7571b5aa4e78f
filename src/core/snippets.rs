//! Search as readers see it: the plain text of an article body (what is indexed and what
//! snippets are cut from), and result snippets with the words that matched the query
//! marked. Snippets are built here, from the ORIGINAL text, not with FTS5's `snippet()`,
//! because the index holds normalised and stemmed words that are not fit to show.
//!
//! A word of the text "matches" when it would match in FTS5: one of its normalised token
//! and stems equals one of the query words' tokens and stems (see
//! [`super::arabic::search_text`], which builds both sides the same way).

use super::arabic::search_text;

/// Words shown in a result snippet.
pub const SNIPPET_WORDS: usize = 30;
/// Words shown before the first match (in a full-size snippet), so it is read in context.
const WORDS_BEFORE_MATCH: usize = 8;
const ELLIPSIS: &str = "…";

/// The text of a body's sanitised HTML, as a reader sees it: tags removed (block tags
/// become spaces, inline ones nothing), character references decoded, white space
/// collapsed. The input is `body_html`, which the sanitiser wrote: well-formed, quoted
/// attributes, no comments or scripts.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        // Text up to the next tag or reference, copied as one run.
        let run = rest.find(['<', '&']).unwrap_or(rest.len());
        text.push_str(&rest[..run]);
        rest = &rest[run..];
        match rest.as_bytes().first() {
            Some(b'<') => {
                let (tag_name, after) = skip_tag(rest);
                if !is_inline_tag(tag_name) {
                    text.push(' ');
                }
                rest = after;
            }
            Some(_) => {
                let (decoded, after) = decode_reference(rest);
                text.push_str(decoded.as_deref().unwrap_or("&"));
                rest = after;
            }
            None => break,
        }
    }
    collapse_whitespace(&text)
}

/// `html` starts with `<`: returns the tag's lower-case name (empty for `<!…>`) and the
/// text after the tag's closing `>`, skipping `>` inside quoted attribute values.
fn skip_tag(html: &str) -> (&str, &str) {
    let inner = &html[1..];
    let name_start = usize::from(inner.starts_with('/'));
    let name_len = inner[name_start..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len() - name_start);
    let name = &inner[name_start..name_start + name_len];
    let mut quote = None;
    for (at, c) in inner.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), c) if c == open => quote = None,
            (None, '>') => return (name, &inner[at + 1..]),
            _ => {}
        }
    }
    (name, "")
}

/// Tags inside a line of text: they do not separate words.
fn is_inline_tag(name: &str) -> bool {
    const INLINE: [&str; 21] = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "em", "i", "ins", "kbd", "mark",
        "q", "s", "small", "span", "strong", "sub", "sup", "u",
    ];
    INLINE.contains(&name.to_ascii_lowercase().as_str())
}

/// `html` starts with `&`: the decoded character reference, if it is one, and the rest.
fn decode_reference(html: &str) -> (Option<String>, &str) {
    let Some(end) = html
        .char_indices()
        .take(12)
        .find(|&(_, c)| c == ';')
        .map(|(at, _)| at)
    else {
        return (None, &html[1..]);
    };
    let name = &html[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
            .and_then(char::from_u32),
    };
    match decoded {
        Some(c) => (Some(c.to_string()), &html[end + 1..]),
        None => (None, &html[1..]),
    }
}

fn collapse_whitespace(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

/// A piece of a snippet or title: `marked` pieces are words that matched the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub marked: bool,
}

/// The query's words with their stems: a text word matches if it shares any of them.
#[derive(Debug, Clone)]
pub struct QueryTerms(Vec<String>);

impl QueryTerms {
    /// The same words the search looks for ([`search_text::query_words`]).
    pub fn new(query: &str) -> Self {
        let mut terms: Vec<String> = Vec::new();
        for word in search_text::query_words(query) {
            terms.extend(word.stems);
            terms.push(word.token);
        }
        QueryTerms(terms)
    }

    fn matches(&self, word: &str) -> bool {
        search_text::words(word).into_iter().any(|word| {
            self.0.contains(&word.token)
                || word
                    .alternatives(search_text::stems)
                    .iter()
                    .any(|s| self.0.contains(s))
        })
    }
}

/// Part of a word: a letter or digit, or a mark the normaliser drops (harakat, tatweel),
/// which sits inside a word without splitting it.
fn is_word_char(c: char) -> bool {
    search_text::is_letter_or_digit(c)
        || search_text::normalize(c.encode_utf8(&mut [0; 4])).is_empty()
}

/// Byte ranges of the words of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    WordSpans::new(text).collect()
}

/// The byte ranges of the words of a text, in order.
struct WordSpans<'a> {
    chars: std::str::CharIndices<'a>,
    len: usize,
}

impl<'a> WordSpans<'a> {
    fn new(text: &'a str) -> Self {
        WordSpans {
            chars: text.char_indices(),
            len: text.len(),
        }
    }
}

impl Iterator for WordSpans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let start = loop {
            let (at, c) = self.chars.next()?;
            if is_word_char(c) {
                break at;
            }
        };
        for (at, c) in self.chars.by_ref() {
            if !is_word_char(c) {
                return Some((start, at));
            }
        }
        Some((start, self.len))
    }
}

/// All of `text`, with the words matching `terms` marked (for titles).
pub fn highlight(text: &str, terms: &QueryTerms) -> Vec<Segment> {
    let spans = word_spans(text);
    mark_words(text, &spans, terms, 0, text.len())
}

/// About [`SNIPPET_WORDS`] words of `text` around its first word matching `terms` (or
/// its beginning, if none does), matching words marked, `…` where text was left out.
pub fn snippet(text: &str, terms: &QueryTerms) -> Vec<Segment> {
    snippet_of(text, terms, SNIPPET_WORDS)
}

fn snippet_of(text: &str, terms: &QueryTerms, max_words: usize) -> Vec<Segment> {
    let text = text.trim();
    if max_words == 0 {
        return Vec::new();
    }
    // The words up to the first match and the window after it: a long text is not read
    // past what the snippet can show. Stopping a word past the window keeps `spans.len()`
    // telling below whether the text goes on.
    let mut spans = Vec::new();
    let mut first_match = None;
    for (from, to) in WordSpans::new(text) {
        if first_match.is_none() && terms.matches(&text[from..to]) {
            first_match = Some(spans.len());
        }
        spans.push((from, to));
        if first_match.is_some_and(|at| spans.len() > at + max_words) {
            break;
        }
    }
    if spans.is_empty() {
        return Vec::new();
    }
    let first_match = first_match.unwrap_or(0);
    // Context before the match, never so much that the match falls out of the window.
    let before = WORDS_BEFORE_MATCH.min((max_words - 1) / 3);
    let first_word = first_match
        .saturating_sub(before)
        .min(spans.len().saturating_sub(max_words));
    let last_word = (first_word + max_words).min(spans.len()) - 1;
    let from = if first_word == 0 {
        0
    } else {
        spans[first_word].0
    };
    // The last word keeps its punctuation ("نعم،" / "2016)") up to the next space.
    let to = if last_word == spans.len() - 1 {
        text.len()
    } else {
        let end = spans[last_word].1;
        end + text[end..]
            .find(char::is_whitespace)
            .unwrap_or(text.len() - end)
    };
    let mut segments = Vec::new();
    if from > 0 {
        push_segment(&mut segments, &format!("{ELLIPSIS} "), false);
    }
    let shown = &spans[first_word..=last_word];
    segments.extend(mark_words(text, shown, terms, from, to));
    if to < text.len() {
        push_segment(&mut segments, &format!(" {ELLIPSIS}"), false);
    }
    segments
}

/// Segments covering `text[from..to]`, where `spans` are the words inside that range.
fn mark_words(
    text: &str,
    spans: &[(usize, usize)],
    terms: &QueryTerms,
    from: usize,
    to: usize,
) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut at = from;
    for &(start, end) in spans {
        if terms.matches(&text[start..end]) {
            push_segment(&mut segments, &text[at..start], false);
            push_segment(&mut segments, &text[start..end], true);
            at = end;
        }
    }
    push_segment(&mut segments, &text[at..to], false);
    segments
}

/// Appends `text`, joining it to the previous segment when both are unmarked.
fn push_segment(segments: &mut Vec<Segment>, text: &str, marked: bool) {
    if text.is_empty() {
        return;
    }
    match segments.last_mut() {
        Some(last) if !last.marked && !marked => last.text.push_str(text),
        _ => segments.push(Segment {
            text: text.to_owned(),
            marked,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::arabic::search_text::MAX_QUERY_WORDS;

    fn render(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|s| {
                if s.marked {
                    format!("[{}]", s.text)
                } else {
                    s.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_references() {
        let html = "<p>الفقرة <strong>الأولى</strong> &amp; 5 &lt; 6</p>\n<p>الثانية&nbsp;هنا &#1575;&#x627; &bogus; &</p>";
        assert_eq!(
            plain_text(html),
            "الفقرة الأولى & 5 < 6 الثانية هنا اا &bogus; &"
        );
    }

    #[test]
    fn plain_text_separates_blocks_but_not_inline_tags() {
        assert_eq!(plain_text("<p>أ</p><p>ب</p>"), "أ ب");
        assert_eq!(plain_text("<li>أ</li><li>ب<br>ج</li>"), "أ ب ج");
        assert_eq!(plain_text("كلم<em>ة</em>"), "كلمة");
        assert_eq!(
            plain_text(r#"<a href="x" title="a > b">رابط</a> نص"#),
            "رابط نص"
        );
        assert_eq!(plain_text("<p>غير مغلق"), "غير مغلق");
        assert_eq!(plain_text("نص <p"), "نص");
    }

    #[test]
    fn plain_text_of_a_rendered_body() {
        let html = crate::core::markdown::body_to_html(
            "# عنوان\n\nفقرة فيها [رابط](https://example.org) و**عريض**.\n\n- بند\n- آخر",
        );
        assert_eq!(plain_text(&html), "عنوان فقرة فيها رابط وعريض. بند آخر");
    }

    #[test]
    fn highlight_marks_words_by_normalised_form_and_stem() {
        let terms = QueryTerms::new("الاسد مدرسه");
        assert_eq!(
            render(&highlight("زار الأسدُ المدرسةَ، ومدارس أخرى", &terms)),
            "زار [الأسدُ] [المدرسةَ]، [ومدارس] أخرى"
        );
        let terms = QueryTerms::new("٢٠١٦");
        assert_eq!(
            render(&highlight("عام 2016-2017", &terms)),
            "عام [2016]-2017"
        );
        let terms = QueryTerms::new("كورونا");
        assert_eq!(
            render(&highlight("مكافحة بالكورونا", &terms)),
            "مكافحة [بالكورونا]"
        );
    }

    #[test]
    fn nothing_is_marked_without_query_words() {
        let terms = QueryTerms::new("؟!");
        assert_eq!(
            highlight("نص عادي", &terms),
            [Segment {
                text: "نص عادي".to_owned(),
                marked: false
            }]
        );
    }

    #[test]
    fn snippet_is_a_window_around_the_first_match() {
        let words: Vec<String> = (0..100).map(|n| format!("كلمة{n}")).collect();
        let mut text = words.join(" ");
        text.push_str(" المدرسة الجديدة");
        text.push_str(&format!(" {}", words.join(" ")));
        let terms = QueryTerms::new("مدرسة");
        let shown = render(&snippet_of(&text, &terms, 10));
        assert_eq!(
            shown,
            "… كلمة97 كلمة98 كلمة99 [المدرسة] الجديدة كلمة0 كلمة1 كلمة2 كلمة3 كلمة4 …"
        );
    }

    #[test]
    fn snippet_without_a_match_is_the_beginning() {
        let terms = QueryTerms::new("غائب");
        assert_eq!(render(&snippet_of("أ ب ج د هـ و ز", &terms, 3)), "أ ب ج …");
        assert_eq!(render(&snippet_of("أ ب ج", &terms, 3)), "أ ب ج");
        assert!(snippet_of("  ", &terms, 3).is_empty());
    }

    #[test]
    fn snippet_near_the_end_shows_a_full_window() {
        let terms = QueryTerms::new("ز");
        assert_eq!(
            render(&snippet_of("أ ب ج د هـ و ز.", &terms, 3)),
            "… هـ و [ز]."
        );
    }

    #[test]
    fn snippet_keeps_the_last_words_punctuation() {
        let terms = QueryTerms::new("ب");
        assert_eq!(render(&snippet_of("ب ج، (د) ه", &terms, 2)), "[ب] ج، …");
        assert_eq!(
            render(&snippet_of("ب ج د (ه) و", &terms, 4)),
            "[ب] ج د (ه) …"
        );
    }

    #[test]
    fn only_the_first_query_words_are_marked() {
        let query: Vec<String> = (0..MAX_QUERY_WORDS + 3).map(|n| format!("w{n}")).collect();
        let terms = QueryTerms::new(&query.join(" "));
        let last = format!("w{}", MAX_QUERY_WORDS + 2);
        assert!(!terms.matches(&last));
        assert!(terms.matches("w0"));
    }
}
