DROP INDEX articles_newsroom;
