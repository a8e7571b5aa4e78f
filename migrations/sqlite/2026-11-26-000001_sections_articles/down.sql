DROP TABLE article_daily_views;
DROP TABLE articles;
DROP TABLE sections;
