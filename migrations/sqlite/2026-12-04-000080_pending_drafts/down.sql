DROP TABLE pending_drafts;
