-- The name a member signs articles with ("رنا الحلبي" for the account rana): the author
-- field of a new article starts with it. Empty: the account name.
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
