-- An author's page lists their visible articles newest first. Indexed by author alone,
-- every page read all of the author's articles and sorted them (thousands each in a big
-- archive); in the list's order, a page reads its own rows. The newsroom's filter by
-- author and its list of author lines use the leading column as before.
DROP INDEX articles_by_author;
CREATE INDEX articles_by_author_time ON articles (author, status, published_at DESC, id DESC);
