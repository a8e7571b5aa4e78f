DROP INDEX articles_by_author;
