DROP INDEX articles_visible_by_id;
