-- The newsroom's list in its order (newest publication time first, ties by id), with the
-- columns its filters test. A page at any depth is a walk of an index alone to the page's
-- ids (this one, or articles_by_time / articles_by_section_time when a state is chosen),
-- then a lookup of its 20 rows (src/db/articles.rs, newsroom_list).
CREATE INDEX articles_newsroom ON articles (published_at DESC, id DESC, status, section_id);
