DROP INDEX articles_listed;
DROP INDEX articles_listed_by_section;
