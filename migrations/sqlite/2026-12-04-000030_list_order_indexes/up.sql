-- The order of every list readers page through (newest first, then by id) as an index,
-- so that a page is an index seek from an anchor, whatever its depth (see
-- src/runtime/front_pages.rs), and the anchors are read from the index alone.
DROP INDEX articles_by_time;
DROP INDEX articles_by_section_time;
CREATE INDEX articles_by_time ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_by_section_time ON articles (section_id, status, published_at DESC, id DESC);
