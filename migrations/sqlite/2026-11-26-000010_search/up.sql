-- Full-text search over articles. rowid = articles.id. The columns hold
-- search_text::index_text() of the title, the summary and the body's plain text
-- (normalised words, each followed by its stems), never the raw text: FTS5's
-- unicode61 folds no Arabic letters and splits words at harakat. Every article is
-- indexed; what readers may see (published, time come) is decided when searching.
CREATE VIRTUAL TABLE article_search USING fts5(
    title,
    summary,
    body,
    tokenize = 'unicode61 remove_diacritics 0'
);
