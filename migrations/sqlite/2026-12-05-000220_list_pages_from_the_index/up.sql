-- A page of the home page or of a section read from the index alone: the columns a list
-- shows (src/db/articles.rs, SummaryRow) ride along in the list's order, so the 21 rows of
-- a page are a few neighbouring index pages instead of 21 rows scattered over the table
-- (a third of the time of a page deep in the archive). The narrow indexes stay: the
-- anchors and the counts scan them, and a list index with the text is ten times larger.
-- 76 MB at 100,000 articles, a tenth of their text (docs/BENCHMARKS.md). SQLite only: PostgreSQL caps an
-- index entry at a third of a page, which a long title and summary could pass.
CREATE INDEX articles_listed ON articles
    (status, published_at DESC, id DESC, section_id, lead_picture_id, title, summary);
CREATE INDEX articles_listed_by_section ON articles
    (section_id, status, published_at DESC, id DESC, lead_picture_id, title, summary);
