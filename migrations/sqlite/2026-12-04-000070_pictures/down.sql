DROP INDEX articles_by_lead_picture;
ALTER TABLE articles DROP COLUMN lead_picture_id;
DROP TABLE picture_files;
DROP TABLE pictures;
