DROP TABLE login_failures, changes, site_pages, author_profiles, article_tags, tags,
    breaking_news, front_picks, recovery_codes, password_resets, audit_log, revisions,
    autosaves, pending_drafts, sessions, users, site_meta, article_daily_views,
    article_views, article_bodies, articles, picture_files, pictures, sections;
