CREATE VIRTUAL TABLE article_search USING fts5(
    title,
    summary,
    body,
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE INDEX articles_visible_by_id ON articles (id, status, published_at);
