-- Search moved to a Tantivy index beside the database (src/db/search.rs), which stores no
-- text: the FTS5 table held a second, normalised copy of every article.
DROP TABLE article_search;
DELETE FROM site_meta WHERE key = 'search_index_version';
-- It served the FTS5 join only.
DROP INDEX articles_visible_by_id;
