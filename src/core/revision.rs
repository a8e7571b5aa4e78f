//! Revisions of an article: what each save kept, and word-level differences between two.

use similar::{ChangeTag, TextDiff};

use super::article::Status;
use super::ids::{ArticleId, PictureId, RevisionId, SectionId};

/// One saved state of an article, as the newsroom saved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: RevisionId,
    pub article_id: ArticleId,
    /// Who saved it; `None` once their account is gone.
    pub saved_by: Option<String>,
    pub saved_at: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub section_id: SectionId,
    pub author: String,
    pub status: Status,
    pub published_at: i64,
    pub lead_picture: Option<PictureId>,
}

/// A run of words of a difference: the same in both, only in the older, only in the newer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffPart {
    Same(String),
    Removed(String),
    Added(String),
}

/// The difference of `new` from `old`, word by word (whitespace kept with the words, so
/// the parts joined give back either text). Arabic needs nothing special here: words are
/// runs between spaces, and harakat stay inside their word, so a changed vowel marks the
/// one word it belongs to.
pub fn word_diff(old: &str, new: &str) -> Vec<DiffPart> {
    let diff = TextDiff::from_words(old, new);
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        // Runs of one kind are joined: fewer <ins>/<del> for a reader to step through.
        match (change.tag(), parts.last_mut()) {
            (ChangeTag::Equal, Some(DiffPart::Same(run)))
            | (ChangeTag::Delete, Some(DiffPart::Removed(run)))
            | (ChangeTag::Insert, Some(DiffPart::Added(run))) => run.push_str(text),
            (ChangeTag::Equal, _) => parts.push(DiffPart::Same(text.to_owned())),
            (ChangeTag::Delete, _) => parts.push(DiffPart::Removed(text.to_owned())),
            (ChangeTag::Insert, _) => parts.push(DiffPart::Added(text.to_owned())),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(parts: &[DiffPart], keep: fn(&DiffPart) -> Option<&str>) -> String {
        parts.iter().filter_map(keep).collect()
    }

    #[test]
    fn a_changed_word_is_marked_and_both_texts_come_back() {
        let old = "افتتح المحافظ الجسر الجديد صباح الأحد";
        let new = "افتتح الوزير الجسر الجديد مساء الأحد";
        let parts = word_diff(old, new);
        assert!(parts.contains(&DiffPart::Removed("المحافظ".into())));
        assert!(parts.contains(&DiffPart::Added("الوزير".into())));
        assert!(parts.contains(&DiffPart::Removed("صباح".into())));
        assert!(parts.contains(&DiffPart::Added("مساء".into())));
        let older = joined(&parts, |p| match p {
            DiffPart::Same(t) | DiffPart::Removed(t) => Some(t),
            DiffPart::Added(_) => None,
        });
        let newer = joined(&parts, |p| match p {
            DiffPart::Same(t) | DiffPart::Added(t) => Some(t),
            DiffPart::Removed(_) => None,
        });
        assert_eq!(older, old);
        assert_eq!(newer, new);
    }

    #[test]
    fn a_changed_haraka_marks_only_its_word() {
        let parts = word_diff("كَتَبَ الطالبُ الدرسَ", "كُتِبَ الطالبُ الدرسَ");
        assert_eq!(
            parts,
            vec![
                DiffPart::Removed("كَتَبَ".into()),
                DiffPart::Added("كُتِبَ".into()),
                DiffPart::Same(" الطالبُ الدرسَ".into()),
            ]
        );
    }

    #[test]
    fn the_same_text_is_one_unchanged_part() {
        assert_eq!(
            word_diff("نص واحد", "نص واحد"),
            vec![DiffPart::Same("نص واحد".into())]
        );
        assert!(word_diff("", "").is_empty());
    }
}
