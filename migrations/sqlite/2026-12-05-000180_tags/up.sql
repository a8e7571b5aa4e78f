-- Tags: one row per tag (its slug is the folded spelling, so «الأسد» and «الاسد» are one),
-- and which articles carry which, in the order the editor typed them.
CREATE TABLE tags (
    id INTEGER NOT NULL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
-- A tag's page lists its articles.
CREATE INDEX article_tags_by_tag ON article_tags (tag_id, article_id);
