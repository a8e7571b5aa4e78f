-- The front page as the newsroom shapes it: the lead story pinned (until a time, or until
-- unpinned), up to four featured stories under it, and a breaking-news bar that expires
-- by itself. A deleted article leaves the picks with it.
CREATE TABLE front_picks (
    article_id BIGINT NOT NULL PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('lead', 'featured')),
    position BIGINT NOT NULL DEFAULT 0,
    until BIGINT
);
CREATE UNIQUE INDEX front_picks_one_lead ON front_picks (role) WHERE role = 'lead';

CREATE TABLE breaking_news (
    id BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    text TEXT NOT NULL,
    link TEXT,
    until BIGINT NOT NULL
);
