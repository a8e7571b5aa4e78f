DROP TABLE autosaves;
