DROP TABLE author_profiles;
