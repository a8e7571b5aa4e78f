"""Checks feeds and sitemaps saved by the browser suite.

Every file must be well-formed XML; RSS feeds must parse in feedparser (the parser most
feed readers' behaviour is measured against) with no `bozo` error, as RSS 2.0 with entries
that have a title, a link and a date; sitemaps must use the sitemaps.org namespace and
point only at this site.

    python3 check_feeds.py --base http://127.0.0.1:PORT --rss feed.xml --sitemap sitemap.xml
"""

import argparse
import sys
import xml.etree.ElementTree as ET

import feedparser

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def check_rss(path, base):
    with open(path, "rb") as f:
        data = f.read()
    parsed = feedparser.parse(data)
    if parsed.bozo:
        return [f"feedparser: {parsed.bozo_exception!r}"]
    problems = []
    if parsed.version != "rss20":
        problems.append(f"feedparser reads it as {parsed.version!r}, not RSS 2.0")
    if not parsed.feed.get("title"):
        problems.append("the channel has no title")
    if not parsed.entries:
        problems.append("no items")
    for entry in parsed.entries:
        for field in ("title", "link", "published_parsed", "id"):
            if not entry.get(field):
                problems.append(f"item {entry.get('link', '?')} has no {field}")
        if not entry.get("link", "").startswith(base + "/"):
            problems.append(f"item link {entry.get('link')!r} is not on {base}")
    return problems or [f"ok: RSS 2.0, {len(parsed.entries)} items"]


def check_sitemap(root, base):
    if root.tag not in (SITEMAP_NS + "urlset", SITEMAP_NS + "sitemapindex"):
        return [f"root element {root.tag} is not a sitemaps.org urlset or sitemapindex"]
    locs = [loc.text or "" for loc in root.iter(SITEMAP_NS + "loc")]
    problems = [f"<loc> {loc!r} is not on {base}" for loc in locs if not loc.startswith(base + "/")]
    kind = root.tag[len(SITEMAP_NS):]
    return problems or [f"ok: {kind} with {len(locs)} <loc>"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--rss", action="append", default=[])
    parser.add_argument("--sitemap", action="append", default=[])
    args = parser.parse_args()

    failed = False
    for kind, paths in (("rss", args.rss), ("sitemap", args.sitemap)):
        for path in paths:
            try:
                root = ET.parse(path).getroot()
            except ET.ParseError as error:
                print(f"{path}: not well-formed XML: {error}")
                failed = True
                continue
            if kind == "rss":
                results = check_rss(path, args.base)
            else:
                results = check_sitemap(root, args.base)
            for line in results:
                print(f"{path.rsplit('/', 1)[-1]}: {line}")
                failed |= not line.startswith("ok:")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
