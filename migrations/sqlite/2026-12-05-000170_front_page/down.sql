DROP TABLE breaking_news;
DROP TABLE front_picks;
