-- One-off facts about this database (e.g. that demo content was inserted once).
CREATE TABLE site_meta (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
