-- Times are Unix seconds (UTC): they compare and sort as numbers, and no text format can drift.

CREATE TABLE sections (
    id INTEGER PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    -- The short permalink /a/{id}: a random 15-digit number, never reused, never changed.
    id INTEGER PRIMARY KEY NOT NULL,
    section_id INTEGER NOT NULL REFERENCES sections (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    -- Markdown as the editor typed it, and the sanitised HTML rendered from it at save time.
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    author TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    -- A published article with published_at in the future is scheduled.
    published_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Bumped on every save, to refuse an edit made on a stale copy.
    version INTEGER NOT NULL DEFAULT 1,
    views INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX articles_by_time ON articles (status, published_at DESC);
CREATE INDEX articles_by_section_time ON articles (section_id, status, published_at DESC);

-- Views per article per UTC day, for "most read in the last 7 days".
CREATE TABLE article_daily_views (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day INTEGER NOT NULL, -- days since 1970-01-01 (UTC)
    views INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, day)
) WITHOUT ROWID;

CREATE INDEX article_daily_views_by_day ON article_daily_views (day);
