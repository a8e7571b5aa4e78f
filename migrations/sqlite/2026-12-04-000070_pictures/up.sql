-- The media library. A picture's served files live in the database, beside the articles
-- that show them: every instance of the site serves them from the one place, and a backup
-- of the database holds them. What was uploaded is not kept anywhere (src/app/pictures.rs).
CREATE TABLE pictures (
    id INTEGER PRIMARY KEY NOT NULL,
    -- Names the served files (/media/{hash}/640.webp): a hash of the pixels.
    hash TEXT NOT NULL UNIQUE,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    alt TEXT NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    -- A CSS colour near the picture's average, shown while it loads.
    placeholder TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE picture_files (
    picture_id INTEGER NOT NULL REFERENCES pictures (id) ON DELETE CASCADE,
    -- "640.jpg", "640.webp", "card.jpg"
    name TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    UNIQUE (picture_id, name)
);

-- An article's lead picture.
ALTER TABLE articles ADD COLUMN lead_picture_id INTEGER REFERENCES pictures (id);
CREATE INDEX articles_by_lead_picture ON articles (lead_picture_id) WHERE lead_picture_id IS NOT NULL;
