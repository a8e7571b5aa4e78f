-- A sitemap lists each visible article's id, section and last change, in list order.
-- With the change time in the table only, a sitemap of 50,000 URLs read 50,000 rows
-- scattered over the table, and the sitemap index, which gives each part its last
-- change, read every article's row: 3 to 8 s at 1,000,000 articles. The list's order
-- index now carries the two columns (+3 MB at 1,000,000: 42 against 39 MB), and both are
-- read from it: the index in 0.3-0.5 s, a sitemap in 25 ms instead of 165.
DROP INDEX articles_by_time;
CREATE INDEX articles_by_time ON articles (status, published_at DESC, id DESC, section_id, updated_at);
