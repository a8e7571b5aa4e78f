//! Tags: free words an editor attaches to an article ("حلب", "الانتخابات البلدية"). Two
//! spellings that differ only where Arabic typing varies (hamza seats, final ya, ta
//! marbuta, tashkeel: «الأسد» and «الاسد») are one tag: its slug is the search
//! normaliser's tokens, joined by hyphens, and it keeps the first spelling used as its name.

use super::ArticleId;
use super::arabic::search_text::folded_words;
use super::text::has_forbidden_inline_chars;

/// At most this many tags per article.
pub const MAX_TAGS: usize = 10;
pub const TAG_MAX_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// As first typed, spaces collapsed.
    pub name: String,
    /// The folded form: `/tag/{slug}`, and what makes two spellings one tag.
    pub slug: String,
}

/// The slug two spellings of one tag share.
pub fn slug_of(name: &str) -> String {
    folded_words(name).join("-")
}

impl Tag {
    /// One tag as typed; `Ok(None)` for nothing but spaces.
    pub fn parse(raw: &str) -> Result<Option<Tag>, &'static str> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Ok(None);
        }
        if has_forbidden_inline_chars(&name) {
            return Err("في الوسوم رموز غير مسموح بها.");
        }
        if name.chars().count() > TAG_MAX_CHARS {
            return Err("الوسم الواحد 40 حرفًا على الأكثر.");
        }
        let slug = slug_of(&name);
        if slug.is_empty() {
            return Err("الوسم يحتاج حرفًا أو رقمًا على الأقل.");
        }
        Ok(Some(Tag { name, slug }))
    }
}

/// The tags of the form's field: separated by commas (Arabic «،» or Latin) or lines,
/// each once (by slug, the first spelling kept), at most [`MAX_TAGS`].
pub fn parse_tags(raw: &str) -> Result<Vec<Tag>, &'static str> {
    let mut tags: Vec<Tag> = Vec::new();
    for part in raw.split([',', '،', '\n', ';', '؛']) {
        if let Some(tag) = Tag::parse(part)?
            && !tags.iter().any(|t| t.slug == tag.slug)
        {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err("عشرة وسوم على الأكثر لكل خبر.");
    }
    Ok(tags)
}

/// The field's text for `tags`: names joined by the Arabic comma.
pub fn field_text(tags: &[Tag]) -> String {
    tags.iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join("، ")
}

/// How many related articles an article page lists ("أخبار ذات صلة").
pub const RELATED: usize = 4;

/// How many of each tag's newest articles are weighed for "related": a tag on tens of
/// thousands of articles would otherwise make every article page that has it count them all.
pub const RELATED_CANDIDATES_PER_TAG: usize = 50;

/// The articles related to `article`, best first, at most `limit`: those sharing the most
/// of its tags, then the newest (then the highest id). `newest` holds, for each of its
/// tags, the tag's newest visible articles as `(id, published_at)`, newest first (at least
/// [`RELATED_CANDIDATES_PER_TAG`] + 1 of them when the tag has that many, so that the
/// article itself can be left out); only each tag's newest
/// [`RELATED_CANDIDATES_PER_TAG`] other articles are weighed.
pub fn rank_related(
    article: ArticleId,
    newest: &[&[(ArticleId, i64)]],
    limit: usize,
) -> Vec<ArticleId> {
    // (article, its publication time, how many of the tags it shares)
    let mut candidates: Vec<(ArticleId, i64, usize)> = Vec::new();
    for tag in newest {
        let others = tag.iter().filter(|(id, _)| *id != article);
        for &(id, published_at) in others.take(RELATED_CANDIDATES_PER_TAG) {
            match candidates.iter_mut().find(|(known, _, _)| *known == id) {
                Some((_, _, shared)) => *shared += 1,
                None => candidates.push((id, published_at, 1)),
            }
        }
    }
    candidates.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(b.0.cmp(&a.0)));
    candidates
        .into_iter()
        .take(limit)
        .map(|(id, _, _)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_that_arabic_typing_varies_are_one_tag() {
        let tags = parse_tags("الأسد، الاسد ,  حلب الشهباء\nمدرسة، مدرسه، حلب").unwrap();
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["الأسد", "حلب الشهباء", "مدرسة", "حلب"]);
        assert_eq!(tags[0].slug, "الاسد");
        assert_eq!(tags[1].slug, "حلب-الشهباء");
        assert_eq!(slug_of("الأسدُ"), slug_of("الاسد"));
    }

    #[test]
    fn bad_tags_are_refused() {
        assert_eq!(parse_tags(" ، ,"), Ok(vec![]));
        assert!(parse_tags(&"ك".repeat(41)).is_err());
        assert!(parse_tags("...").is_err());
        assert!(parse_tags("وسم\u{202E}مقلوب").is_err());
        let eleven: Vec<String> = (1..=11).map(|n| format!("وسم{n}")).collect();
        assert!(parse_tags(&eleven.join("،")).is_err());
        assert_eq!(field_text(&parse_tags("أ، ب").unwrap()), "أ، ب");
    }

    fn id(n: i64) -> ArticleId {
        ArticleId::from_db(n)
    }

    #[test]
    fn related_share_most_tags_then_are_newest_and_never_the_article_itself() {
        // Article 1 has two tags: 2 shares both; 3 and 4 one, 4 newer.
        let first = [(id(4), 950), (id(3), 900), (id(1), 500), (id(2), 100)];
        let second = [(id(1), 500), (id(2), 100)];
        let ranked = rank_related(id(1), &[&first, &second], 10);
        assert_eq!(ranked, [id(2), id(4), id(3)]);
        assert_eq!(rank_related(id(1), &[&first, &second], 2), [id(2), id(4)]);
        assert_eq!(rank_related(id(1), &[&[(id(1), 500)]], 10), []);
        // Same time: the higher id first.
        let tied = [(id(7), 300), (id(9), 300)];
        assert_eq!(rank_related(id(1), &[&tied], 10), [id(9), id(7)]);
    }

    #[test]
    fn related_weighs_each_tag_s_newest_others_only() {
        let others = RELATED_CANDIDATES_PER_TAG as i64;
        // The article is not among its tag's newest: the one after the newest 50 others
        // does not count, though it shares the second tag.
        let crowded: Vec<(ArticleId, i64)> =
            (1..=others + 1).map(|n| (id(n), 10_000 - n)).collect();
        let second = [(id(others + 1), 10_000 - others - 1)];
        let ranked = rank_related(id(1_000), &[&crowded, &second], 1);
        assert_eq!(ranked, [id(1)]);
        // The article among its tag's newest: left out, so the tag's 51st entry is its
        // 50th other article, weighed (it shares both tags, and leads).
        let with_it: Vec<(ArticleId, i64)> = [(id(1_000), 20_000)]
            .into_iter()
            .chain(crowded[..others as usize].iter().copied())
            .collect();
        let last = [(id(others), 10_000 - others)];
        let ranked = rank_related(id(1_000), &[&with_it, &last], 1);
        assert_eq!(ranked, [id(others)]);
    }
}
