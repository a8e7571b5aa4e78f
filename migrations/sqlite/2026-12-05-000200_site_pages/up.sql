-- The site's own pages ("من نحن", "اتصل بنا"), written by admins in Markdown; the HTML is
-- made once, when saved, like an article's.
CREATE TABLE site_pages (
    slug TEXT NOT NULL PRIMARY KEY CHECK (slug IN ('about', 'contact')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
