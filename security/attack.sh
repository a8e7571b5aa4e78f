#!/usr/bin/env bash
# Third-party attackers against a real sahifa: sqlmap on the search box, the sign-in form
# and the article form; wapiti on the public site and on the newsroom signed in. Not part
# of every CI run (it takes 10-30 minutes); results are summarised in docs/SECURITY.md.
#
#   security/attack.sh                # uses target/release/sahifa (built if missing)
#   SAHIFA_BIN=target/debug/sahifa security/attack.sh
#
# Needs Debian's sqlmap and wapiti (apt-get install sqlmap wapiti), curl and python3.
# The report goes to $OUT (default /tmp/sahifa-attack): sqlmap's logs, wapiti's JSON,
# and summary.txt.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${SAHIFA_BIN:-target/release/sahifa}
OUT=${OUT:-/tmp/sahifa-attack}
PORT=${PORT:-18477}
BASE="http://127.0.0.1:$PORT"
PASSWORD="attack-script-password-1234"

for tool in sqlmap wapiti curl python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -x "$BIN" ] || cargo build --release
rm -rf "$OUT" && mkdir -p "$OUT"
DB="$OUT/site/sahifa.db"
mkdir -p "$OUT/site"

printf '%s\n' "$PASSWORD" | "$BIN" create-admin tester --database "$DB" >/dev/null
# Loopback is a trusted proxy here so that sqlmap's xforwardedfor tamper (a random
# X-Forwarded-For on every request) spreads its thousands of wrong passwords over many
# made-up addresses: the throttle would otherwise answer 429 before the payloads reach
# the code under test. The throttle itself is tested elsewhere.
"$BIN" --bind "127.0.0.1:$PORT" --database "$DB" --trusted-proxy 127.0.0.1/32 \
  >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs "$BASE/healthz" >/dev/null && break
  sleep 0.2
done

# Sign in as a browser would: the form's token is bound to its nonce cookie.
JAR="$OUT/cookies.txt"
token_of() { grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
TOKEN=$(curl -fs -c "$JAR" "$BASE/admin/login" | token_of)
curl -fs -o /dev/null -b "$JAR" -c "$JAR" \
  --data-urlencode "csrf_token=$TOKEN" --data-urlencode "username=tester" \
  --data-urlencode "password=$PASSWORD" --data-urlencode "next=" "$BASE/admin/login"
SESSION=$(awk '$6 == "sahifa_session" { print $7 }' "$JAR")
[ -n "$SESSION" ] || { echo "could not sign in" >&2; exit 1; }
NEW_FORM=$(curl -fs -b "sahifa_session=$SESSION" "$BASE/admin/articles/new")
SECTION=$(printf '%s' "$NEW_FORM" | grep -o '<option value="[0-9]*"' | head -1 | grep -o '[0-9]*')

# (sqlmap can't refresh a CSRF token with --threads: one request at a time.)
SQLMAP=(sqlmap --batch --flush-session --level 3 --risk 2
  --tamper xforwardedfor --output-dir "$OUT/sqlmap")

# Debian's wapiti 3.0.4 turns -x patterns into a regex Python 3.11 rejects (global flags
# not at the start); run it with that one function mended.
wapiti_run() {
  /usr/bin/python3 - "$@" <<'EOF'
import re, sys
import wapitiCore.net.crawler as crawler
crawler.wildcard_translate = lambda pattern: re.compile(
    "(?ms)" + ".*".join(re.escape(part) for part in pattern.split("*")) + r"\Z")
from wapitiCore.main.wapiti import wapiti_main
sys.argv = ["wapiti"] + sys.argv[1:]
sys.exit(wapiti_main())
EOF
}

echo "== sqlmap: search box"
"${SQLMAP[@]}" -u "$BASE/search?q=%D8%AF%D9%85%D8%B4%D9%82&page=1" -p q,page \
  >"$OUT/sqlmap-search.log" 2>&1 || true

echo "== sqlmap: sign-in form"
"${SQLMAP[@]}" -u "$BASE/admin/login" \
  --data "csrf_token=x&username=tester&password=wrong-password&next=" \
  -p username,password,next --csrf-token csrf_token --csrf-url "$BASE/admin/login" \
  >"$OUT/sqlmap-login.log" 2>&1 || true

echo "== sqlmap: article form (signed in)"
"${SQLMAP[@]}" -u "$BASE/admin/articles" \
  --data "csrf_token=x&title=%D8%AE%D8%A8%D8%B1&summary=s&body=b&section_id=$SECTION&author=a&status=draft&published_at=" \
  -p title,summary,body,section_id,author,status,published_at \
  --cookie "sahifa_session=$SESSION" --csrf-token csrf_token \
  --csrf-url "$BASE/admin/articles/new" \
  >"$OUT/sqlmap-article.log" 2>&1 || true

echo "== wapiti: public site"
wapiti_run -u "$BASE/" --scope folder --flush-session --max-scan-time 900 \
  -x "$BASE/admin/*" -f json -o "$OUT/wapiti-public.json" \
  >"$OUT/wapiti-public.log" 2>&1 || true

echo "== wapiti: the newsroom, signed in"
python3 - "$SESSION" >"$OUT/wapiti-cookies.json" <<'EOF'
import json, sys
print(json.dumps({"127.0.0.1": {"/": {"sahifa_session": {
    "value": sys.argv[1], "version": 0, "expires": None, "secure": False, "port": None}}}}))
EOF
wapiti_run -u "$BASE/admin/" --scope folder --flush-session --max-scan-time 900 \
  -c "$OUT/wapiti-cookies.json" -x "$BASE/admin/logout" \
  -f json -o "$OUT/wapiti-admin.json" >"$OUT/wapiti-admin.log" 2>&1 || true

# Did the session survive the scan (or did wapiti crawl without it)?
STILL_IN=$(curl -s -o /dev/null -w '%{http_code}' -b "sahifa_session=$SESSION" "$BASE/admin/articles/new")

python3 - "$OUT" "$STILL_IN" >"$OUT/summary.txt" <<'EOF'
import json, pathlib, re, sys
out = pathlib.Path(sys.argv[1])
for name in ["search", "login", "article"]:
    log = (out / f"sqlmap-{name}.log").read_text(errors="replace")
    injectable = re.findall(r"parameter '([^']+)' (?:is|appears to be) [^\n]*injectable", log)
    not_injectable = re.findall(r"parameter '([^']+)' does not seem to be injectable", log)
    print(f"sqlmap {name}: injectable={sorted(set(injectable)) or 'none'} "
          f"not injectable={sorted(set(not_injectable))}")
for name in ["public", "admin"]:
    path = out / f"wapiti-{name}.json"
    if not path.exists():
        print(f"wapiti {name}: no report (see wapiti-{name}.log)")
        continue
    report = json.loads(path.read_text())
    found = re.search(r"found (\d+) URLs", (out / f"wapiti-{name}.log").read_text(errors="replace"))
    urls = found.group(1) if found else "?"
    for kind in ["vulnerabilities", "anomalies", "additionals"]:
        for category, findings in report.get(kind, {}).items():
            for finding in findings:
                print(f"wapiti {name} {kind}: {category} level={finding.get('level')} "
                      f"{finding.get('method')} {finding.get('path')} "
                      f"{finding.get('parameter', '')}: {finding.get('info', '')[:160]}")
    print(f"wapiti {name}: {urls} URLs and forms found and attacked")
print(f"session after the scans: /admin/articles/new answered {sys.argv[2]}")
statuses = {}
for line in (out / "server.log").read_text(errors="replace").splitlines():
    found = re.search(r" request request_id=\S+ .* status=(\d+)", line)
    if found:
        statuses[found.group(1)] = statuses.get(found.group(1), 0) + 1
print(f"requests answered, by status: {dict(sorted(statuses.items()))}")
panics = (out / "server.log").read_text(errors="replace").count("panicked")
print(f"panics in the server log: {panics}")
EOF
cat "$OUT/summary.txt"
