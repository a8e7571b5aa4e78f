-- The newsroom filters its list by author and offers every author line used: both read
-- this index instead of every article.
CREATE INDEX articles_by_author ON articles (author);
