//! The search index: a Tantivy index beside the database (`<database>.search/`), derived
//! from `articles` and rebuilt from it whenever it is missing, unreadable, from another
//! format, or behind the articles.
//!
//! What is indexed: every article, drafts too (flagged: the newsroom searches them, readers
//! never see them) and scheduled ones (results keep what readers may see at that moment,
//! so a scheduled article shows up on time without reindexing), as its id, its
//! publication time, and the title, summary and body's
//! plain text through our Arabic tokenizer ([`ArabicTokenizer`]: normalised words, each
//! with its stems at the same position). No text is stored: results are read back from
//! `articles` by id, and shown only if readers may see them then.
//!
//! Keeping step: whoever changes articles records the change in the change feed
//! (`db::changes`) in the same SQL transaction, then calls [`SearchIndex::update`] (or
//! `rebuild`). Each instance keeps its own index; [`SearchIndex::catch_up`] applies the
//! changes made since the last one it applied (by any instance), whose seq the index's
//! commits carry in their payload. A start catches up the same way (a crash between the two
//! commits, changes made while this instance was down), and rebuilds when the index is
//! missing, of another format, or further behind than the feed remembers.

use std::collections::HashSet;
use std::ops::Bound;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, PoisonError};

use diesel::prelude::*;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use super::changes::{self, Change};
use super::schema::{article_bodies, articles};
use super::stored_html::StoredHtml;
use super::{DbConn, DbError, DbResult};
use crate::core::ArticleId;
use crate::core::arabic::search_text::{LEMMA_MARK, QueryWord, lexicon_version, stems, words};
use crate::core::article::{Status, Visibility};
use crate::core::snippets::plain_text;
use files::ReadDirectory;

/// The index's format: bump it when the schema, the tokenizer, normalisation or stemming
/// change; the next start rebuilds the index.
pub const FORMAT: &str = "tantivy-13";
/// The tokenizer's name in the index.
const TOKENIZER: &str = "sahifa_arabic";
/// Field weights: a word in the title counts more than in the summary, which counts more
/// than in the body.
const TITLE_WEIGHT: f32 = 10.0;
const SUMMARY_WEIGHT: f32 = 5.0;
const BODY_WEIGHT: f32 = 1.0;
/// How much a match through a stem counts, and through the lexicon's lemma, next to the
/// word itself (1).
const STEM_WEIGHT: f32 = 0.6;
const LEMMA_WEIGHT: f32 = 0.3;
/// Memory for indexing (Tantivy's minimum is 15 MB): bounds the server's peak while an
/// editor saves or the whole index is rebuilt.
const WRITER_MEMORY: usize = 20_000_000;
/// Relevance is the text's score times a recency factor (at most 2): the factor re-ranks
/// the best this many by score alone, which the index finds without scoring every match
/// (block-max WAND), instead of scoring every match with it.
const RERANK_DEPTH: usize = 200;
/// Articles read per batch while rebuilding, so a large site is never all in memory.
const REBUILD_BATCH: i64 = 500;
/// A rebuild commits after this many articles. Tantivy's indexing thread takes documents
/// from a queue of up to 10,000, and reading an article is quicker than tokenizing it, so
/// without these steps the queue filled with ~80 MB of article text (a rebuild at start, or
/// `sahifa reindex`, peaked at 140 MB; docs/BENCHMARKS.md). A commit waits for the queue
/// to empty.
const REBUILD_STEP: usize = 2_000;
/// The payload of a rebuild's steps. Not one that [`applied_in`] reads: an index left by a
/// rebuild that stopped halfway (a crash, a full disk) is rebuilt again at start, never
/// taken for the whole.
const REBUILDING: &str = "rebuilding";
/// Changes applied per round of catching up.
const CATCH_UP_BATCH: i64 = 1_000;

/// Our Arabic tokenizer: each normalised word, and its stems at the same position, as
/// `core::arabic::search_text` makes them (the same words and stems a query searches).
#[derive(Clone)]
pub struct ArabicTokenizer {
    stems_of: fn(&str) -> Vec<String>,
}

impl Default for ArabicTokenizer {
    fn default() -> Self {
        ArabicTokenizer { stems_of: stems }
    }
}

impl ArabicTokenizer {
    /// With another stemmer (measurements in the tests).
    #[cfg(test)]
    pub(crate) fn with_stems(stems_of: fn(&str) -> Vec<String>) -> Self {
        ArabicTokenizer { stems_of }
    }
}

pub struct ArabicTokens {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokens {
        let mut out = Vec::new();
        for (position, word) in words(text).into_iter().enumerate() {
            for stem in word.alternatives(self.stems_of) {
                out.push(Token {
                    position,
                    text: stem,
                    ..Token::default()
                });
            }
            out.push(Token {
                position,
                text: word.token,
                ..Token::default()
            });
        }
        ArabicTokens {
            tokens: out.into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for ArabicTokens {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    published_at: Field,
    /// 1 for a draft: the newsroom searches drafts too, readers never see them.
    draft: Field,
    title: Field,
    summary: Field,
    body: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Frequencies, no positions: ranking needs how often, not where.
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        id: builder.add_u64_field("id", INDEXED | FAST),
        published_at: builder.add_i64_field("published_at", FAST),
        draft: builder.add_u64_field("draft", INDEXED),
        title: builder.add_text_field("title", text.clone()),
        summary: builder.add_text_field("summary", text.clone()),
        body: builder.add_text_field("body", text),
    };
    (builder.build(), fields)
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchOrder {
    /// Best match first, newer articles ahead of older ones that match as well.
    #[default]
    Relevance,
    Newest,
}

/// What indexing and searching can fail with.
fn index_error(e: impl std::fmt::Display) -> DbError {
    DbError::Search(e.to_string())
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// One writer at a time (Tantivy allows one): saves are rare, so each makes its own.
    writing: Mutex<()>,
    /// The seq of the last change (`db::changes`) the index has applied.
    applied: AtomicI64,
}

/// What [`SearchIndex::open`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// Current, or brought up to date with this many changes made since it was last open.
    Current { caught_up: usize },
    /// Rebuilt from the articles, with this many indexed.
    Rebuilt(usize),
}

/// Commits what `writer` holds to disk with `payload`; searches see it once the reader is
/// reloaded.
fn commit_with(writer: &mut IndexWriter, payload: &str) -> DbResult<()> {
    let mut prepared = writer.prepare_commit().map_err(index_error)?;
    prepared.set_payload(payload);
    prepared.commit().map_err(index_error)?;
    Ok(())
}

/// Commits a step of a rebuild: written to disk, marked as unfinished, not shown to
/// searches (the reader is reloaded by the rebuild's last commit).
fn commit_step(writer: &mut IndexWriter) -> DbResult<()> {
    commit_with(writer, REBUILDING)
}

/// What the index's commits carry: its format and the last change applied.
fn payload(applied: i64) -> String {
    format!("{FORMAT} {} seq={applied}", lexicon_version())
}

/// The seq an index's payload says it has applied, if it is of this format.
fn applied_in(payload: &str) -> Option<i64> {
    let seq = payload.strip_prefix(&format!("{FORMAT} {} seq=", lexicon_version()))?;
    seq.parse().ok()
}

impl SearchIndex {
    /// Opens the index in `dir` and brings it up to date: catches up on the changes made
    /// since its last commit, or rebuilds it from `articles` if it is missing, unreadable,
    /// of another format, or behind the oldest change still on record.
    pub fn open(dir: &Path, conn: &mut DbConn) -> DbResult<(SearchIndex, Opened)> {
        let oldest = changes::oldest(conn)?;
        let existing = ReadDirectory::open(dir)
            .ok()
            .and_then(|files| Index::open(files).ok())
            .and_then(|index| {
                let applied = applied_in(index.load_metas().ok()?.payload.as_deref()?)?;
                // The feed must still hold every change after `applied`.
                let complete = match oldest {
                    Some(oldest) => oldest <= applied + 1,
                    None => true,
                };
                complete.then_some((index, applied))
            });
        if let Some((index, applied)) = existing
            && let Ok(search) = SearchIndex::with_index(index, applied)
        {
            let caught_up = search.catch_up(conn)?.len();
            return Ok((search, Opened::Current { caught_up }));
        }
        tracing::info!(dir = %dir.display(), "building the search index");
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(index_error)?;
        }
        std::fs::create_dir_all(dir).map_err(index_error)?;
        let files = ReadDirectory::open(dir).map_err(index_error)?;
        let index = Index::create(files, schema().0, tantivy::IndexSettings::default())
            .map_err(index_error)?;
        let search = SearchIndex::with_index(index, 0)?;
        let indexed = search.rebuild(conn)?;
        Ok((search, Opened::Rebuilt(indexed)))
    }

    /// An index in memory (tests).
    pub fn in_memory() -> DbResult<SearchIndex> {
        SearchIndex::with_index(Index::create_in_ram(schema().0), 0)
    }

    fn with_index(index: Index, applied: i64) -> DbResult<SearchIndex> {
        let (expected, fields) = schema();
        if index.schema() != expected {
            return Err(index_error("the index has another schema"));
        }
        index
            .tokenizers()
            .register(TOKENIZER, ArabicTokenizer::default());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error)?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            writing: Mutex::new(()),
            applied: AtomicI64::new(applied),
        })
    }

    /// Uses `tokenizer` instead of ours (measurements in the tests).
    #[cfg(test)]
    pub(crate) fn set_tokenizer(&self, tokenizer: ArabicTokenizer) {
        self.index.tokenizers().register(TOKENIZER, tokenizer);
    }

    fn writer(&self) -> DbResult<IndexWriter> {
        self.index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .map_err(index_error)
    }

    fn document(&self, article: &Indexable) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_u64(self.fields.id, article.id as u64);
        doc.add_i64(self.fields.published_at, article.published_at);
        doc.add_u64(
            self.fields.draft,
            u64::from(article.status == Status::Draft),
        );
        doc.add_text(self.fields.title, &article.title);
        doc.add_text(self.fields.summary, &article.summary);
        doc.add_text(
            self.fields.body,
            plain_text(&StoredHtml::decode(&article.body_html)),
        );
        doc
    }

    fn id_term(&self, id: ArticleId) -> Term {
        Term::from_field_u64(self.fields.id, id.get() as u64)
    }

    /// Commits what `writer` holds, marked as having applied the changes up to `applied`,
    /// and shows it to searches.
    fn commit(&self, writer: &mut IndexWriter, applied: i64) -> DbResult<()> {
        commit_with(writer, &payload(applied))?;
        self.applied.store(applied, Ordering::Release);
        self.reader.reload().map_err(index_error)
    }

    /// The seq of the last change the index has applied.
    pub fn applied(&self) -> i64 {
        self.applied.load(Ordering::Acquire)
    }

    /// Brings the index in step with the current rows of `ids` (removed if gone). Call it
    /// after the transaction that changed them, so that this instance's searches see a
    /// save at once (the change feed brings it to the other instances).
    pub fn update(&self, conn: &mut DbConn, ids: &[ArticleId]) -> DbResult<()> {
        self.update_through(conn, ids, self.applied())
    }

    /// [`SearchIndex::update`], committed as having applied the changes up to `applied`.
    fn update_through(&self, conn: &mut DbConn, ids: &[ArticleId], applied: i64) -> DbResult<()> {
        let _one_writer = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let mut writer = self.writer()?;
        self.reindex(&mut writer, conn, ids)?;
        self.commit(&mut writer, applied)?;
        writer.wait_merging_threads().map_err(index_error)
    }

    /// Applies the changes made since the last one applied, by this instance or any
    /// other; returns them (the caller drops what it computed from them).
    pub fn catch_up(&self, conn: &mut DbConn) -> DbResult<Vec<Change>> {
        let mut seen = Vec::new();
        loop {
            let batch = changes::after(conn, self.applied(), CATCH_UP_BATCH)?;
            let Some(&(last, _)) = batch.last() else {
                return Ok(seen);
            };
            if batch
                .iter()
                .any(|(_, change)| *change == Change::Everything)
            {
                self.rebuild_through(conn, last)?;
            } else {
                let mut ids: Vec<ArticleId> = batch
                    .iter()
                    .filter_map(|(_, change)| match change {
                        Change::Article(id) => Some(*id),
                        _ => None,
                    })
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                self.update_through(conn, &ids, last)?;
            }
            seen.extend(batch.into_iter().map(|(_, change)| change));
        }
    }

    fn reindex(
        &self,
        writer: &mut IndexWriter,
        conn: &mut DbConn,
        ids: &[ArticleId],
    ) -> DbResult<()> {
        for &id in ids {
            writer.delete_term(self.id_term(id));
            let article = articles::table
                .inner_join(article_bodies::table)
                .filter(articles::id.eq(id.get()))
                .select(Indexable::as_select())
                .first(conn)
                .optional()?;
            if let Some(article) = article {
                writer
                    .add_document(self.document(&article))
                    .map_err(index_error)?;
            }
        }
        Ok(())
    }

    /// Rebuilds the whole index from `articles`; returns how many articles it holds.
    pub fn rebuild(&self, conn: &mut DbConn) -> DbResult<usize> {
        // Read before the articles: a change made while they are read is applied again
        // by the next catch-up, never skipped.
        let latest = changes::latest(conn)?;
        self.rebuild_through(conn, latest)
    }

    fn rebuild_through(&self, conn: &mut DbConn, applied: i64) -> DbResult<usize> {
        let _one_writer = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let mut writer = self.writer()?;
        writer.delete_all_documents().map_err(index_error)?;
        let mut indexed = 0;
        let mut after = i64::MIN;
        loop {
            // In id order: the primary key, however large the archive.
            let batch = articles::table
                .inner_join(article_bodies::table)
                .filter(articles::id.gt(after))
                .order(articles::id.asc())
                .limit(REBUILD_BATCH)
                .select(Indexable::as_select())
                .load::<Indexable>(conn)?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for article in &batch {
                writer
                    .add_document(self.document(article))
                    .map_err(index_error)?;
                indexed += 1;
                if indexed % REBUILD_STEP == 0 {
                    commit_step(&mut writer)?;
                }
            }
        }
        self.commit(&mut writer, applied)?;
        writer.wait_merging_threads().map_err(index_error)?;
        Ok(indexed)
    }

    /// Replaces everything with `documents` (title, body), ids from 1, published at time
    /// 0 (measurements in the tests).
    #[cfg(test)]
    pub(crate) fn load_for_tests(&self, documents: &[(&str, &str)]) -> DbResult<()> {
        let mut writer = self.writer()?;
        writer.delete_all_documents().map_err(index_error)?;
        for (n, (title, body)) in documents.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_u64(self.fields.id, n as u64 + 1);
            doc.add_i64(self.fields.published_at, 0);
            doc.add_text(self.fields.title, *title);
            doc.add_text(self.fields.body, *body);
            writer.add_document(doc).map_err(index_error)?;
        }
        writer.commit().map_err(index_error)?;
        self.reader.reload().map_err(index_error)
    }

    /// How many articles the index holds (tests and tools).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The query for `words`: every word must occur, as itself or one of its stems, in
    /// the title, the summary or the body; each field weighted. One word is a plain union
    /// of weighted terms, the shape Tantivy ranks with block-max WAND.
    fn query(&self, words: &[QueryWord]) -> BooleanQuery {
        let fields = [
            (self.fields.title, TITLE_WEIGHT),
            (self.fields.summary, SUMMARY_WEIGHT),
            (self.fields.body, BODY_WEIGHT),
        ];
        let alternatives = |word: &QueryWord| -> Vec<(Occur, Box<dyn Query>)> {
            std::iter::once(&word.token)
                .chain(&word.stems)
                .flat_map(|term| {
                    // The word as typed (normalised) counts most, a stem less (it may be
                    // another word that stems alike), a lexicon lemma (a broken plural's
                    // singular, a verb of a masdar) least: whatever trap a stem or a lemma
                    // still falls into ranks below the real hits.
                    let loose = if *term == word.token {
                        1.0
                    } else if term.starts_with(LEMMA_MARK) {
                        LEMMA_WEIGHT
                    } else {
                        STEM_WEIGHT
                    };
                    fields.iter().map(move |&(field, weight)| {
                        let weight = weight * loose;
                        let term = Term::from_field_text(field, term);
                        let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                        let boosted: Box<dyn Query> =
                            Box::new(BoostQuery::new(Box::new(query), weight));
                        (Occur::Should, boosted)
                    })
                })
                .collect()
        };
        if let [word] = words {
            return BooleanQuery::new(alternatives(word));
        }
        let clauses = words
            .iter()
            .map(|word| {
                let word: Box<dyn Query> = Box::new(BooleanQuery::new(alternatives(word)));
                (Occur::Must, word)
            })
            .collect();
        BooleanQuery::new(clauses)
    }

    /// What readers may not find at `now`: drafts and articles scheduled for later. Few,
    /// whatever the size of the archive.
    fn hidden(&self, now: i64) -> BooleanQuery {
        // The publication time is a column, not a term: the range is read from the
        // column, empty on nearly every segment.
        let scheduled = RangeQuery::new(
            Bound::Excluded(Term::from_field_i64(self.fields.published_at, now)),
            Bound::Unbounded,
        );
        let drafts = TermQuery::new(
            Term::from_field_u64(self.fields.draft, 1),
            IndexRecordOption::Basic,
        );
        BooleanQuery::new(vec![
            (Occur::Should, Box::new(scheduled) as Box<dyn Query>),
            (Occur::Should, Box::new(drafts)),
        ])
    }

    /// The ids of the articles published by `now` that match every one of `words`, page
    /// by page (`offset`, `limit`), and how many match in all.
    ///
    /// Best first is the text's score times the recency factor, applied to the best
    /// [`RERANK_DEPTH`] by score (or as many as the page needs): those come from a plain
    /// top-k over the text, which Tantivy answers without scoring every match. What readers
    /// may not see yet is left out after, not in the query (a query with exclusions is
    /// scored match by match).
    pub fn search(
        &self,
        words: &[QueryWord],
        now: i64,
        order: SearchOrder,
        offset: usize,
        limit: usize,
    ) -> DbResult<(Vec<ArticleId>, usize)> {
        if words.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let searcher = self.reader.searcher();
        let visible = BooleanQuery::new(vec![
            (Occur::Must, Box::new(self.query(words)) as Box<dyn Query>),
            (Occur::MustNot, Box::new(self.hidden(now))),
        ]);
        let page = TopDocs::with_limit(limit.max(1)).and_offset(offset);
        let (addresses, total): (Vec<DocAddress>, usize) = match order {
            // One word: the top by score comes pruned (block-max WAND) from the plain
            // union, and a count that scores nothing gives the total.
            SearchOrder::Relevance if words.len() == 1 => {
                let total = searcher.search(&visible, &Count).map_err(index_error)?;
                let hidden: HashSet<DocAddress> = searcher
                    .search(&self.hidden(now), &DocSetCollector)
                    .map_err(index_error)?;
                let query = self.query(words);
                let addresses = best_first(&searcher, &query, &hidden, now, offset, limit)?;
                (addresses, total)
            }
            // Several words: an intersection is scored match by match anyway, so the top
            // and the count come from that one pass.
            SearchOrder::Relevance => {
                let depth = RERANK_DEPTH.max(offset + limit);
                let (best, total) = searcher
                    .search(
                        &visible,
                        &(TopDocs::with_limit(depth).order_by_score(), Count),
                    )
                    .map_err(index_error)?;
                (
                    rerank(&searcher, best, &HashSet::new(), now, offset, limit)?,
                    total,
                )
            }
            SearchOrder::Newest => {
                let newest = page.order_by_fast_field::<i64>("published_at", tantivy::Order::Desc);
                let (hits, total) = searcher
                    .search(&visible, &(newest, Count))
                    .map_err(index_error)?;
                (
                    hits.into_iter().map(|(_, address)| address).collect(),
                    total,
                )
            }
        };
        self.ids_of(&searcher, addresses).map(|ids| (ids, total))
    }

    /// The ids of every article, drafts and scheduled ones included, that matches all of
    /// `words`: the best `limit` (the newsroom's search), and how many match in all.
    pub fn search_newsroom(
        &self,
        words: &[QueryWord],
        now: i64,
        limit: usize,
    ) -> DbResult<(Vec<ArticleId>, usize)> {
        if words.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let searcher = self.reader.searcher();
        let query = self.query(words);
        let total = searcher.search(&query, &Count).map_err(index_error)?;
        let addresses = best_first(&searcher, &query, &HashSet::new(), now, 0, limit)?;
        self.ids_of(&searcher, addresses).map(|ids| (ids, total))
    }

    /// The article ids of index documents.
    fn ids_of(&self, searcher: &Searcher, addresses: Vec<DocAddress>) -> DbResult<Vec<ArticleId>> {
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let column = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64("id")
                .map_err(index_error)?;
            if let Some(id) = column.first(address.doc_id) {
                ids.push(ArticleId::from_db(id as i64));
            }
        }
        Ok(ids)
    }
}

/// The matches of `query` best first, leaving out `excluded`, from `offset`, at most
/// `limit`: the text's score times the recency factor, over the best [`RERANK_DEPTH`] by
/// score (or as many as the page needs).
fn best_first(
    searcher: &Searcher,
    query: &dyn Query,
    excluded: &HashSet<DocAddress>,
    now: i64,
    offset: usize,
    limit: usize,
) -> DbResult<Vec<DocAddress>> {
    let depth = RERANK_DEPTH.max(offset + limit) + excluded.len();
    let best = searcher
        .search(query, &TopDocs::with_limit(depth).order_by_score())
        .map_err(index_error)?;
    rerank(searcher, best, excluded, now, offset, limit)
}

/// `best` (by score), leaving out `excluded`, ordered by score times the recency factor,
/// from `offset`, at most `limit`.
fn rerank(
    searcher: &Searcher,
    best: Vec<(f32, DocAddress)>,
    excluded: &HashSet<DocAddress>,
    now: i64,
    offset: usize,
    limit: usize,
) -> DbResult<Vec<DocAddress>> {
    let mut ranked = Vec::with_capacity(best.len());
    for (score, address) in best {
        if excluded.contains(&address) {
            continue;
        }
        let published = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .i64("published_at")
            .map_err(index_error)?
            .first(address.doc_id)
            .unwrap_or(now);
        ranked.push((score * recency(now - published), address));
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(ranked
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|(_, address)| address)
        .collect())
}

/// The recency factor of an article `age` seconds old: 2 today, 1.5 at a month, nearly 1
/// after a year, so that of two articles that match alike the newer comes first, and a
/// much better match still beats a newer one.
fn recency(age_seconds: i64) -> f32 {
    let days = age_seconds.max(0) as f32 / 86_400.0;
    1.0 + 1.0 / (1.0 + days / 30.0)
}

/// What the index is built from.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct Indexable {
    id: i64,
    title: String,
    summary: String,
    #[diesel(select_expression = article_bodies::body_html)]
    body_html: Vec<u8>,
    published_at: i64,
    status: Status,
}

/// The articles `ids` in that order, leaving out any readers may not see at `now` (an
/// index a moment behind never shows a draft).
///
/// Read by id alone and checked with `Visibility::of`: with the visibility in the SQL,
/// SQLite walks the whole (status, published_at) index instead of looking up ten ids.
pub fn visible_hits(
    conn: &mut DbConn,
    ids: &[ArticleId],
    now: i64,
) -> DbResult<Vec<crate::core::article::SearchHit>> {
    #[derive(Queryable, Selectable)]
    #[diesel(table_name = articles, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
    struct HitRow {
        id: i64,
        section_id: i64,
        title: String,
        summary: String,
        #[diesel(select_expression = article_bodies::body_html)]
        body_html: Vec<u8>,
        status: Status,
        published_at: i64,
        #[diesel(select_expression = articles::lead_picture_id)]
        lead_picture: Option<i64>,
    }
    let raw: Vec<i64> = ids.iter().map(|id| id.get()).collect();
    let mut rows: Vec<HitRow> = articles::table
        .inner_join(article_bodies::table)
        .filter(articles::id.eq_any(&raw))
        .select(HitRow::as_select())
        .load(conn)?;
    rows.retain(|row| Visibility::of(row.status, row.published_at, now) == Visibility::Visible);
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|row| row.id == id.get()))
        .map(|row| crate::core::article::SearchHit {
            id: ArticleId::from_db(row.id),
            section_id: crate::core::SectionId::from_db(row.section_id),
            title: row.title.clone(),
            summary: row.summary.clone(),
            body_html: StoredHtml::decode(&row.body_html),
            published_at: row.published_at,
            lead_picture: row
                .lead_picture
                .map(crate::core::picture::PictureId::from_db),
        })
        .collect())
}

mod files;

#[cfg(test)]
mod evaluation_tests;

#[cfg(test)]
mod evaluation_cases_more;
#[cfg(test)]
mod stemming_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::arabic::search_text::query_words;
    use crate::db::articles::{ArticleContent, NewArticle};

    /// A database in memory holding `count` published articles.
    fn database_with_articles(count: i64) -> DbConn {
        let mut conn = crate::db::database::in_memory_with_a_section();
        let titles: Vec<String> = (0..count).map(|n| format!("خبر رقم {n}")).collect();
        let rows: Vec<NewArticle<'_>> = titles
            .iter()
            .enumerate()
            .map(|(n, title)| NewArticle {
                id: n as i64 + 1,
                created_at: 1,
                content: ArticleContent {
                    section_id: 1,
                    title,
                    summary: "",
                    body: "نص",
                    body_html: StoredHtml::compress("<p>نص</p>"),
                    author: "م",
                    status: Status::Published,
                    published_at: 1,
                    updated_at: 1,
                    lead_picture_id: None,
                },
            })
            .collect();
        crate::db::articles::insert_many(&mut conn, &rows).unwrap();
        conn
    }

    /// A rebuild longer than one step ends as one current index, and an index left by a
    /// rebuild that stopped after a step is rebuilt when opened, not taken as current.
    #[test]
    fn a_rebuild_commits_in_steps_and_one_stopped_halfway_is_done_again() {
        let count = REBUILD_STEP as i64 + 7;
        let mut conn = database_with_articles(count);
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("s.db.search");
        let (index, opened) = SearchIndex::open(&path, &mut conn).unwrap();
        assert_eq!(
            (opened, index.len()),
            (Opened::Rebuilt(count as usize), count as u64)
        );
        let payload = index.index.load_metas().unwrap().payload.unwrap();
        assert!(applied_in(&payload).is_some(), "{payload}");

        // What a rebuild leaves after its first step, had it stopped there.
        let mut writer = index.writer().unwrap();
        writer.delete_all_documents().unwrap();
        writer
            .add_document(index.document(&Indexable {
                id: 1,
                title: "خبر".into(),
                summary: String::new(),
                body_html: "<p>نص</p>".as_bytes().to_vec(),
                status: Status::Published,
                published_at: 1,
            }))
            .unwrap();
        commit_step(&mut writer).unwrap();
        drop(writer);
        drop(index);

        let (index, opened) = SearchIndex::open(&path, &mut conn).unwrap();
        assert_eq!(
            (opened, index.len()),
            (Opened::Rebuilt(count as usize), count as u64)
        );
    }

    /// Articles whose time has not come are neither results nor counted, in either order.
    #[test]
    fn scheduled_articles_are_left_out_until_their_time() {
        let index = SearchIndex::in_memory().unwrap();
        // Published at time 0.
        index
            .load_for_tests(&[("جسر المدينة", ""), ("جسر النهر", ""), ("سوق", "")])
            .unwrap();
        let words = query_words("جسر");
        for order in [SearchOrder::Relevance, SearchOrder::Newest] {
            let (ids, total) = index.search(&words, -1, order, 0, 10).unwrap();
            assert_eq!((ids.len(), total), (0, 0), "{order:?} before their time");
            let (ids, total) = index.search(&words, 0, order, 0, 10).unwrap();
            assert_eq!((ids.len(), total), (2, 2), "{order:?} on time");
        }
    }
}
