-- What an author page says about its author beyond the byline: a short biography and a
-- picture from the library. Keyed by the byline's slug (its folded spelling), since bylines
-- are typed per article and need not be accounts.
CREATE TABLE author_profiles (
    slug TEXT NOT NULL PRIMARY KEY,
    bio TEXT NOT NULL,
    picture_id BIGINT REFERENCES pictures (id) ON DELETE SET NULL
);
