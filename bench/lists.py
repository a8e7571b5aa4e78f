#!/usr/bin/env python3
"""Helper of bench/run.sh: the lists of paths wrk picks from (bench/wrk.lua), and figures
read from the database. Standard library only.

  lists.py lists DB OUT_DIR HOT_ID QUERIES SEED
      Writes, in OUT_DIR:
        articles.txt       /a/{id} of every visible article but the hot one (measured on
                           its own, with its own exact view count), shuffled with SEED: the
                           long tail picks uniformly, or Zipf-distributed by line (so the
                           popular articles are spread over the years, not the newest)
        home-pages.txt     /?page=N for every page of the home page
        section-pages.txt  /section/{slug}?page=N for every page of every section
        searches.txt       /search?q=... for every query of QUERIES (URL-encoded)
        searches-uncached.txt
                           20,000 distinct pairs of QUERIES' one-word queries, shuffled
                           with SEED: walked in order, no query comes twice in a run, so
                           none is answered from the 2-second page cache (the engine's
                           own speed)
      and prints key=value lines: articles, home_pages, section_pages, sections, searches.
  lists.py walk BASE OUT EXCLUDE_PATH
      Fetches BASE/sitemap.xml and, if it is a sitemap index, each sitemap it names, and
      writes to OUT the walk of a crawler: the index, then each sitemap followed by the
      URLs it lists, in order (as paths on BASE; EXCLUDE_PATH left out). Prints key=value
      lines: sitemaps, urls, articles.
  lists.py authors DB BASE OUT
      Writes to OUT /author/{slug}?page=N for every page of every author line of DB,
      shuffled: the slug as BASE names it (it answers a byline as typed with a redirect to
      its folded slug). Prints author_pages=COUNT.
  lists.py tags DB OUT
      Writes to OUT /tag/{slug}?page=N for every page of every tag of DB with an article
      readers see, shuffled. Prints tag_pages=COUNT (0 for a corpus without tags).
  lists.py storage DB
      Bytes of the database: DB, DB-wal, and every folder beside it named DB.* (a search
      index such as DB.search/, counted recursively). Not DB-shm (shared memory, not data)
      nor other files (DB.key: the session key). Prints "total detail".
"""

import http.client
import os
import random
import sqlite3
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

# What the site shows: published, and not scheduled for later.
VISIBLE = "status = 'published' AND published_at <= CAST(strftime('%s', 'now') AS INTEGER)"
# src/app/reading.rs: 20 articles a page; the first page also has a lead article, so page N
# lists articles 1 + (N - 1) * 20 .. 1 + N * 20 (counting from 0).
PAGE_SIZE = 20
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def last_page(count):
    """The last page that has articles (page 1 always exists)."""
    return max(1, (count - 1 + PAGE_SIZE - 1) // PAGE_SIZE)


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(line)
            out.write("\n")


def lists(db, out_dir, hot_id, queries, seed):
    conn = sqlite3.connect(db)
    ids = [
        row[0]
        for row in conn.execute(f"SELECT id FROM articles WHERE {VISIBLE} ORDER BY id")
        if row[0] != int(hot_id)
    ]
    random.Random(int(seed)).shuffle(ids)
    write_lines(os.path.join(out_dir, "articles.txt"), (f"/a/{i}" for i in ids))

    (count,) = conn.execute(f"SELECT count(*) FROM articles WHERE {VISIBLE}").fetchone()
    home = [f"/?page={page}" for page in range(1, last_page(count) + 1)]
    write_lines(os.path.join(out_dir, "home-pages.txt"), home)

    sections = conn.execute(
        """SELECT sections.slug, count(articles.id) FROM sections
           LEFT JOIN articles ON articles.section_id = sections.id
                AND articles.status = 'published'
                AND articles.published_at <= CAST(strftime('%s', 'now') AS INTEGER)
           GROUP BY sections.id ORDER BY sections.id"""
    ).fetchall()
    section_pages = [
        f"/section/{urllib.parse.quote(slug, safe='')}?page={page}"
        for slug, articles in sections
        for page in range(1, last_page(articles) + 1)
    ]
    write_lines(os.path.join(out_dir, "section-pages.txt"), section_pages)

    with open(queries, encoding="utf-8") as source:
        texts = [line.strip() for line in source]
    texts = [t for t in texts if t and not t.startswith("#")]
    if len(set(texts)) != len(texts):
        sys.exit(f"{queries}: a query is listed twice")
    write_lines(
        os.path.join(out_dir, "searches.txt"),
        (f"/search?q={urllib.parse.quote(t, safe='')}" for t in texts),
    )
    words = sorted({t for t in texts if " " not in t})
    pairs = [f"{a} {b}" for a in words for b in words if a != b]
    random.Random(int(seed)).shuffle(pairs)
    write_lines(
        os.path.join(out_dir, "searches-uncached.txt"),
        (f"/search?q={urllib.parse.quote(t, safe='')}" for t in pairs[:20000]),
    )
    print(f"articles={len(ids)}")
    print(f"home_pages={len(home)}")
    print(f"section_pages={len(section_pages)}")
    print(f"sections={len(sections)}")
    print(f"searches={len(texts)}")


def authors(db, base, out):
    conn = sqlite3.connect(db)
    bylines = conn.execute(
        f"SELECT author, count(*) FROM articles WHERE {VISIBLE} AND author != '' GROUP BY author"
    ).fetchall()
    pages = []
    for byline, count in bylines:
        typed = f"/author/{urllib.parse.quote(byline, safe='')}"
        parts = urllib.parse.urlsplit(base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port)
        connection.request("GET", typed, headers={"Sec-Purpose": "prefetch"})
        response = connection.getresponse()
        response.read()
        path = urllib.parse.urlsplit(response.getheader("Location") or typed).path
        connection.close()
        pages.extend(f"{path}?page={page}" for page in range(1, (count + 19) // 20 + 1))
    random.Random(1).shuffle(pages)
    write_lines(out, pages)
    print(f"author_pages={len(pages)}")


def tags(db, out):
    conn = sqlite3.connect(db)
    counts = conn.execute(
        "SELECT tags.slug, count(*) FROM tags"
        " JOIN article_tags ON article_tags.tag_id = tags.id"
        " JOIN articles ON articles.id = article_tags.article_id"
        f" WHERE {VISIBLE.replace('status', 'articles.status').replace('published_at', 'articles.published_at')}"
        " GROUP BY tags.id"
    ).fetchall()
    pages = []
    for slug, count in counts:
        path = f"/tag/{urllib.parse.quote(slug, safe='')}"
        pages.extend(f"{path}?page={page}" for page in range(1, (count + 19) // 20 + 1))
    random.Random(1).shuffle(pages)
    write_lines(out, pages)
    print(f"tag_pages={len(pages)}")


def fetch_xml(base, path):
    request = urllib.request.Request(base + path, headers={"Sec-Purpose": "prefetch"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        if answer.status != 200:
            sys.exit(f"{path} answered {answer.status}")
        return ET.fromstring(answer.read())


def local_path(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(base, out, exclude):
    ordered = ["/sitemap.xml"]
    root = fetch_xml(base, "/sitemap.xml")
    if root.tag == f"{SITEMAP}sitemapindex":
        documents = []
        for loc in root.iter(f"{SITEMAP}loc"):
            part = local_path(loc.text.strip())
            documents.append((part, fetch_xml(base, part)))
    else:
        documents = [(None, root)]
    urls = articles = 0
    for part, document in documents:
        if part is not None:
            ordered.append(part)
        for loc in document.iter(f"{SITEMAP}loc"):
            path = local_path(loc.text.strip())
            urls += 1
            articles += path.startswith("/a/")
            if path != exclude:
                ordered.append(path)
    write_lines(out, ordered)
    print(f"sitemaps={1 + (len(documents) if documents[0][0] is not None else 0)}")
    print(f"urls={urls}")
    print(f"articles={articles}")


def storage(db):
    folder, name = os.path.split(os.path.abspath(db))
    total = 0
    detail = []
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        is_index = entry.startswith(f"{name}.") and os.path.isdir(path)
        if entry not in (name, f"{name}-wal") and not is_index:
            continue
        if is_index:
            size = sum(
                os.path.getsize(os.path.join(top, f))
                for top, _, files in os.walk(path)
                for f in files
            )
            entry += "/"
        else:
            size = os.path.getsize(path)
        total += size
        detail.append(f"{entry}:{size}")
    print(total, ",".join(detail))


def main(argv):
    commands = {
        "lists": (lists, 5),
        "authors": (authors, 3),
        "tags": (tags, 2),
        "walk": (walk, 3),
        "storage": (storage, 1),
    }
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        sys.exit(__doc__)
    function, _ = commands[argv[1]]
    function(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
