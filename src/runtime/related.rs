//! "أخبار ذات صلة" under each article: the articles sharing the most of its tags, then the
//! newest. What is weighed is the same for every article of a tag (its newest articles), so
//! it is read once per tag and kept for a few seconds, with the first few of them ready to
//! show: an article read for the first time then costs no query of its own for them. (Read
//! per article, they were a third of the cost of an article page read from the archive.)

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::core::ArticleId;
use crate::core::article::ArticleSummary;
use crate::core::tags::{RELATED, RELATED_CANDIDATES_PER_TAG, rank_related};
use crate::db::{Database, DbError, articles, tags};

/// Bytes the kept tags may take: about 2.5 KB a tag, so some 800 tags.
pub const RELATED_BUDGET: usize = 2 * 1024 * 1024;

/// What "related" weighs of one tag.
#[derive(Debug)]
struct TagHead {
    /// Its newest visible articles, newest first: one more than are weighed, so that the
    /// article being read can be left out.
    newest: Vec<(ArticleId, i64)>,
    /// The first of them, ready to show (those an article of this tag alone shows).
    shown: Vec<ArticleSummary>,
}

impl TagHead {
    fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.newest.len() * std::mem::size_of::<(ArticleId, i64)>()
            + self
                .shown
                .iter()
                .map(|s| std::mem::size_of::<ArticleSummary>() + s.title.len() + s.summary.len())
                .sum::<usize>()
    }
}

#[derive(Debug, Default)]
struct Kept {
    /// Each tag: when it was read, its place in the order of reading, what was read.
    heads: HashMap<i64, (Instant, u64, Arc<TagHead>)>,
    bytes: usize,
    reads: u64,
}

impl Kept {
    fn remove(&mut self, tag: i64) {
        if let Some((_, _, head)) = self.heads.remove(&tag) {
            self.bytes -= head.bytes();
        }
    }

    /// Keeps `head`, dropping the tags read longest ago while over `budget`.
    fn insert(&mut self, tag: i64, head: Arc<TagHead>, budget: usize) {
        self.remove(tag);
        self.bytes += head.bytes();
        self.reads += 1;
        self.heads.insert(tag, (Instant::now(), self.reads, head));
        while self.bytes > budget {
            let oldest = self
                .heads
                .iter()
                .filter(|(known, _)| **known != tag)
                .min_by_key(|(_, (_, read, _))| *read)
                .map(|(known, _)| *known);
            match oldest {
                Some(oldest) => self.remove(oldest),
                None => break,
            }
        }
    }
}

#[derive(Debug)]
pub struct RelatedArticles {
    ttl: Duration,
    budget: usize,
    /// Counts newsroom changes: tags read across one are used once, not kept.
    generation: AtomicU64,
    kept: Mutex<Kept>,
}

impl RelatedArticles {
    /// Tags are read again after `ttl` (zero: every time); they take at most `budget`
    /// bytes.
    pub fn new(ttl: Duration, budget: usize) -> Self {
        RelatedArticles {
            ttl,
            budget,
            generation: AtomicU64::new(0),
            kept: Mutex::new(Kept::default()),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Forgets every tag (an article changed).
    pub fn invalidate(&self) {
        let mut kept = self.kept();
        self.generation.fetch_add(1, Ordering::AcqRel);
        kept.heads.clear();
        kept.bytes = 0;
    }

    /// The articles related to `article` (tagged `tag_ids`) readers may see at `now`, best
    /// first: at most [`RELATED`].
    pub async fn of(
        &self,
        db: &Database,
        article: ArticleId,
        tag_ids: &[i64],
        now: i64,
    ) -> Result<Vec<ArticleSummary>, DbError> {
        let mut heads: Vec<Arc<TagHead>> = Vec::with_capacity(tag_ids.len());
        let mut missing = Vec::new();
        {
            let kept = self.kept();
            for tag in tag_ids {
                match kept.heads.get(tag) {
                    Some((read_at, _, head)) if read_at.elapsed() < self.ttl => {
                        heads.push(head.clone());
                    }
                    _ => missing.push(*tag),
                }
            }
        }
        if !missing.is_empty() {
            let generation = self.generation.load(Ordering::Acquire);
            let read = db
                .run(move |conn| {
                    missing
                        .into_iter()
                        .map(|tag| {
                            let weighed = RELATED_CANDIDATES_PER_TAG as i64 + 1;
                            let newest = tags::newest_visible(conn, tag, now, weighed)?;
                            let first: Vec<ArticleId> =
                                newest.iter().take(RELATED + 1).map(|(id, _)| *id).collect();
                            let shown = articles::visible_summaries(conn, &first, now)?;
                            Ok((tag, Arc::new(TagHead { newest, shown })))
                        })
                        .collect::<Result<Vec<_>, DbError>>()
                })
                .await?;
            let mut kept = self.kept();
            let keep = !self.ttl.is_zero() && generation == self.generation.load(Ordering::Acquire);
            for (tag, head) in read {
                if keep {
                    kept.insert(tag, head.clone(), self.budget);
                }
                heads.push(head);
            }
        }
        let newest: Vec<&[(ArticleId, i64)]> = heads.iter().map(|h| &h.newest[..]).collect();
        let ranked = rank_related(article, &newest, RELATED);
        let ready = |id: &ArticleId| {
            heads
                .iter()
                .find_map(|head| head.shown.iter().find(|shown| shown.id == *id))
                .cloned()
        };
        // Articles sharing several tags may lie deeper in a tag than the ones kept ready.
        let unready: Vec<ArticleId> = ranked
            .iter()
            .filter(|id| ready(id).is_none())
            .copied()
            .collect();
        let read = match unready.is_empty() {
            true => Vec::new(),
            false => {
                db.run(move |conn| articles::visible_summaries(conn, &unready, now))
                    .await?
            }
        };
        Ok(ranked
            .iter()
            .filter_map(|id| ready(id).or_else(|| read.iter().find(|s| s.id == *id).cloned()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(articles: i64) -> Arc<TagHead> {
        Arc::new(TagHead {
            newest: (0..articles).map(|n| (ArticleId::from_db(n), n)).collect(),
            shown: Vec::new(),
        })
    }

    #[test]
    fn kept_tags_stay_within_their_budget_dropping_the_oldest_read() {
        let one = head(51).bytes();
        let budget = 3 * one;
        let mut kept = Kept::default();
        for tag in 0..10 {
            kept.insert(tag, head(51), budget);
            assert!(kept.bytes <= budget);
        }
        let mut left: Vec<i64> = kept.heads.keys().copied().collect();
        left.sort();
        assert_eq!(left, [7, 8, 9]);
        // Read again: counted once.
        kept.insert(9, head(51), budget);
        assert_eq!(kept.bytes, 3 * one);
        // One tag bigger than the budget is still kept (alone) for the page that read it.
        kept.insert(100, head(1_000), budget);
        assert_eq!(kept.heads.len(), 1);
    }
}
