#!/bin/sh
# Makes static/logo.png, the publisher logo of the JSON-LD on article pages: Google takes a
# raster logo (at least 112 px), not an SVG. It is static/favicon.svg drawn at 512×512 by
# headless Chromium, its letter set in the site's own Noto Naskh Arabic Bold (the favicon
# says `serif`, which each machine resolves differently; a committed PNG should not).
#
#     sh static/logo.sh        (from the repository root; needs chromium)
#
# Not served itself: only the files listed in src/views/assets.rs are.
set -eu
root=$(pwd)
page=$(mktemp --suffix=.html)
trap 'rm -f "$page"' EXIT
# The favicon's own drawing, with the font named.
svg=$(sed 's/font-family="serif"/font-family="Naskh" font-weight="700"/' static/favicon.svg)
cat > "$page" <<HTML
<!doctype html><html><head><style>
@font-face { font-family: Naskh; font-weight: 700;
  src: url("file://$root/static/fonts/NotoNaskhArabic-Bold.woff2") format("woff2"); }
html, body { margin: 0; background: transparent; }
svg { display: block; width: 512px; height: 512px; }
</style></head><body>$svg</body></html>
HTML
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --default-background-color=00000000 --window-size=512,512 \
  --screenshot="$root/static/logo.png" "file://$page"
