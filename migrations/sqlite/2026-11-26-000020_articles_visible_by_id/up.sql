-- Whether an article is visible, by id, without reading its row: search looks up every
-- match this way, and a row's status and published_at come after its body, so reading
-- them from the table walks the body's overflow pages (see src/db/search.rs).
CREATE INDEX articles_visible_by_id ON articles (id, status, published_at);
