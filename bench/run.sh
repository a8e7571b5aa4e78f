#!/usr/bin/env bash
# Benchmark: sahifa's pages against nginx serving the hot article page's exact bytes as a
# static file, measured in the same run so that the ratios compare across machines.
#
#   bench/run.sh            N = 100 and N = 100,000 articles, 10 s per measurement
#   bench/run.sh --smoke    N = 100 only, 2 s per measurement, no warm-ups (CI: asserts
#                           correctness only, never timings)
#   BENCH_SIZES="100000 1000000" bench/run.sh     the full run of issue 10
#
# For each N, identity and gzip: nginx static; the hot article (counting views); home; a
# section; the long tail (random articles over the whole archive, uniformly and
# Zipf-distributed); home and section pages at a random depth (?page=N up to the last
# page); a crawler walk (sitemap index, each sitemap, then the URLs it lists, in order);
# one search; varied searches (bench/queries.txt, random, never twice in a row); uncached
# searches (pairs of its one-word queries, none asked twice in a run). Also the
# seed time, the server's cold start on that database (launch to the first 200 from
# /healthz), its peak RSS, and the database's bytes (with -wal and any index beside it)
# per byte of article text. Ends with Markdown tables for docs/BENCHMARKS.md.
#
# Environment:
#   BENCH_DURATION      seconds per measurement (default 10s; "10" or "10s"; smoke: 2s)
#   BENCH_TAIL          uncounted seconds after each measurement (default 1; see wrk.lua)
#   BENCH_SIZES         corpus sizes (default "100 100000"; smoke: "100"); 1,000,000
#                       needs a long seed and tens of GB of disk with today's storage
#   BENCH_CONNECTIONS   wrk connections (default 64); BENCH_THREADS wrk threads (default 2)
#   BENCH_PROFILE       cargo profile to build and run (default release)
#   BENCH_SEARCH_QUERY  the one search measured (default اللاذقية, a place: see src/app/seed.rs)
#   BENCH_QUERIES       the varied searches, one a line (default bench/queries.txt)
#   BENCH_ZIPF_S        the exponent of the Zipf long tail (default 1)
#   BENCH_RANDOM_SEED   seed of the shuffles and random picks (default 1)
#   BENCH_KEEP=1        keep the temporary folder (databases, lists, logs, nginx config)
#   BENCH_SMOKE=1       same as --smoke
#   CARGO_TARGET_DIR    honoured, as by cargo
#   BENCH_BIN           run this sahifa binary instead of building one (e.g. an older build)
#   BENCH_CORPUS_DIR    keep each seeded database (and any index folder beside it) there
#                       and copy it on later runs (seeding 100,000 articles takes minutes)
#   BENCH_ROWS          measure only the rows whose label matches this extended regular
#                       expression (e.g. "search|long tail"); nginx static always runs
#
# Needs: cargo, wrk, nginx, curl, python3 (its sqlite3, gzip and xml modules). Everything
# runs on 127.0.0.1 only, and everything started here is stopped on exit.
#
# Fails (exit 1) when a server does not start, a page other than a search answers anything
# but 200 (searches' other answers, such as a 503 under overload, are counted and
# reported), a gzip response does not decode to the identity page, or the views in the
# database did not grow by exactly the number of counted requests wrk completed: for the
# hot article, and in total over all articles.

set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

smoke=${BENCH_SMOKE:-0}
for arg in "$@"; do
    case $arg in
        --smoke) smoke=1 ;;
        -h | --help)
            # This header, up to the first line that is not a comment.
            awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
            exit 0
            ;;
        *)
            echo "bench/run.sh: unknown argument '$arg' (try --help)" >&2
            exit 2
            ;;
    esac
done

if [[ $smoke == 1 ]]; then
    duration=${BENCH_DURATION:-2s}
    sizes=${BENCH_SIZES:-100}
    warmup=0
else
    duration=${BENCH_DURATION:-10s}
    sizes=${BENCH_SIZES:-100 100000}
    warmup=3
fi
seconds=${duration%s}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
    echo "bench/run.sh: BENCH_DURATION must be whole seconds, like 10s" >&2
    exit 2
fi
tail_seconds=${BENCH_TAIL:-1}
if ! [[ $tail_seconds =~ ^[0-9]+$ ]] || ((tail_seconds < 1)); then
    echo "bench/run.sh: BENCH_TAIL must be whole seconds, at least 1" >&2
    exit 2
fi
for n in $sizes; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: BENCH_SIZES must be numbers of articles" >&2; exit 2; }
done
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
profile=${BENCH_PROFILE:-release}
search_query=${BENCH_SEARCH_QUERY:-اللاذقية}
queries=${BENCH_QUERIES:-$ROOT/bench/queries.txt}
zipf_s=${BENCH_ZIPF_S:-1}
if ! [[ $zipf_s =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
    echo "bench/run.sh: BENCH_ZIPF_S must be a number, like 1 or 1.1" >&2
    exit 2
fi
random_seed=${BENCH_RANDOM_SEED:-1}
target_dir=${CARGO_TARGET_DIR:-$ROOT/target}
case $profile in
    dev) bin=$target_dir/debug/sahifa ;;
    *) bin=$target_dir/$profile/sahifa ;;
esac
gzip_header="Accept-Encoding: gzip, br"

fail() {
    echo "bench/run.sh: FAILED: $*" >&2
    exit 1
}

for tool in cargo wrk nginx curl python3; do
    command -v "$tool" >/dev/null || fail "$tool is required (Debian: apt-get install wrk nginx curl python3)"
done
[[ -f $queries ]] || fail "no query list at $queries"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sahifa-bench.XXXXXX")
# nginx's workers may run as another user: they need to read the page they serve.
chmod 755 "$tmp"
server_pid=""
nginx_pid=""

# stop_pid PID: SIGTERM, then up to 120 s for a graceful stop (sahifa writes its last view
# counts after in-flight requests, which may include slow searches), then SIGKILL.
stop_pid() {
    local pid=$1
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 1200); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    stop_pid "$server_pid"
    stop_pid "$nginx_pid"
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        echo "kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# sql DB QUERY: the first column of the first row.
sql() {
    python3 - "$1" "$2" <<'EOF'
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
print("" if row is None or row[0] is None else row[0])
EOF
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_http URL PID LOG [SECONDS]: until URL answers 200 (polling every 10 ms), failing
# if the process PID exits first or after SECONDS (default 30).
wait_http() {
    local deadline=$(($(now_ms) + ${4:-30} * 1000))
    while (($(now_ms) < deadline)); do
        kill -0 "$2" 2>/dev/null || { cat "$3" >&2; fail "the server exited at start ($3)"; }
        curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null && return 0
        sleep 0.01
    done
    cat "$3" >&2
    fail "no answer from $1 after ${4:-30} s"
}

# fetch URL OUT [HEADER]: the body into OUT (exact bytes, not decoded), headers into
# OUT.headers; fails unless the status is 200. The request is marked as a prefetch, so an
# article fetched here counts no view.
fetch() {
    local url=$1 out=$2
    shift 2
    local status
    status=$(curl -sS -o "$out" -D "$out.headers" -w '%{http_code}' \
        -H "Sec-Purpose: prefetch" "$@" "$url") || fail "cannot fetch $url"
    [[ $status == 200 ]] || fail "$url answered $status"
}

content_encoding() {
    { grep -i '^content-encoding:' "$1.headers" || true; } | head -1 | tr -d '\r' | awk '{print $2}'
}

# check_gzip IDENTITY GZIPPED: the compressed body decodes (Python's gzip module and
# curl's zlib) to exactly the identity body.
check_gzip() {
    python3 - "$1" "$2" <<'EOF' || fail "gzip body of $2 does not decode to the identity page"
import gzip, sys
identity = open(sys.argv[1], "rb").read()
gzipped = open(sys.argv[2], "rb").read()
decoded = gzip.decompress(gzipped)
if decoded != identity:
    sys.exit(f"decoded {len(decoded)} bytes differ from the identity body of {len(identity)}")
EOF
}

# check_page URL OUT: the page answers 200 without and with gzip, and the gzip answer (if
# compressed) decodes to the identity answer. Sets checked_encoding.
check_page() {
    local url=$1 out=$2
    fetch "$url" "$out.identity"
    fetch "$url" "$out.gzip" -H "$gzip_header"
    checked_encoding=$(content_encoding "$out.gzip")
    checked_encoding=${checked_encoding:-identity}
    case $checked_encoding in
        gzip) check_gzip "$out.identity" "$out.gzip" ;;
        identity) ;;
        *) fail "$url: unexpected Content-Encoding $checked_encoding for '$gzip_header'" ;;
    esac
}

# check_list FILE BASE OUT: check_page on a few of FILE's paths (the first, the middle and
# the last line, and one at random).
check_list() {
    local file=$1 base=$2 out=$3 lines line i=0
    lines=$(wc -l <"$file")
    ((lines > 0)) || fail "$file is empty (too few articles?)"
    for line in 1 $(((lines + 1) / 2)) "$lines" $((RANDOM % lines + 1)); do
        i=$((i + 1))
        check_page "$base$(sed -n "${line}p" "$file")" "$out.$i"
    done
}

results=$tmp/results.tsv
facts=$tmp/facts.tsv
: >"$results"
: >"$facts"
fact() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$facts"; }

bc_div() { python3 -c "print($1 / $2)"; }

# wrk_run URL ENCODING SECONDS [SCRIPT_ARG...]: wrk with bench/wrk.lua; the output in
# wrk_output.
wrk_run() {
    local url=$1 encoding=$2 run_seconds=$3
    shift 3
    local headers=()
    [[ $encoding == gzip ]] && headers=(-H "$gzip_header")
    wrk_output=$(wrk -t"$threads" -c"$connections" -d"${run_seconds}s" --timeout 5s \
        -s "$ROOT/bench/wrk.lua" "${headers[@]}" "$url" -- "seed=$random_seed" "$@" 2>&1)
}

# measure N LABEL ENCODING URL [SCRIPT_ARG...]: one wrk run (see bench/wrk.lua for the
# arguments); appends to results. A row whose arguments include statuses=1 (searches)
# reports answers other than 200; any other row fails on them.
measure() {
    local n=$1 label=$2 encoding=$3 url=$4
    shift 4
    local lenient=0 arg
    for arg in "$@"; do [[ $arg == statuses=1 ]] && lenient=1; done
    wrk_run "$url" "$encoding" "$((seconds + tail_seconds))" "$@" ||
        { echo "$wrk_output" >&2; fail "wrk failed on $label ($url)"; }
    local line
    line=$(grep '^BENCH ' <<<"$wrk_output") ||
        { echo "$wrk_output" >&2; fail "no summary from wrk on $label ($url)"; }
    declare -A r=()
    local kv
    for kv in ${line#BENCH }; do r[${kv%%=*}]=${kv#*=}; done
    if ((r[err_connect] > 0 || (r[err_status] > 0 && lenient == 0))); then
        echo "$wrk_output" >&2
        fail "$label ($encoding): ${r[err_status]} answers 4xx/5xx, ${r[err_connect]} connect errors"
    fi
    if ((r[err_read] + r[err_write] + r[err_timeout] > 0)); then
        echo "warning: $label ($encoding): ${r[err_read]} read, ${r[err_write]} write and ${r[err_timeout]} timeout errors" >&2
    fi
    # Throughput counts 200s only (the same as all answers for a row that must not fail).
    local ok_rps
    ok_rps=$(python3 -c 'import sys; r, bad, s = map(float, sys.argv[1:]); print(f"{(r - bad) / s:.1f}")' \
        "${r[requests]}" "${r[err_status]}" "${r[seconds]}")
    local other=""
    if [[ ${r[statuses]} != - ]]; then other=${r[statuses]}; fi
    if ((r[err_timeout] > 0)); then other="${other:+$other,}timeout x${r[err_timeout]}"; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "$encoding" "$ok_rps" \
        "${r[p50_us]}" "${r[p99_us]}" "$((r[bytes] / (r[requests] > 0 ? r[requests] : 1)))" \
        "${r[requests]}" "${r[counted]}" "${other:--}" >>"$results"
    printf '  %-22s %-9s %10s req/s  p50 %7.2f ms  p99 %7.2f ms%s\n' "$label" "$encoding" \
        "$ok_rps" "$(bc_div "${r[p50_us]}" 1000)" "$(bc_div "${r[p99_us]}" 1000)" \
        "${other:+  not 200: $other}" >&2
    last_counted=${r[counted]}
    last_walked=${r[walked]}
}

# warm URL ENCODING [SCRIPT_ARG...]: a run that is not measured and counts no views.
warm() {
    ((warmup > 0)) || return 0
    local url=$1 encoding=$2
    shift 2
    wrk_run "$url" "$encoding" "$warmup" counted=0 "$@" ||
        { echo "$wrk_output" >&2; fail "warm-up of $url failed"; }
    if grep -q 'err_connect=[1-9]' <<<"$wrk_output"; then
        echo "$wrk_output" >&2
        fail "warm-up of $url: connect errors"
    fi
}

# row N LABEL URL COUNTED [SCRIPT_ARG...]: warm-ups, then the identity and the gzip
# measurements; counted requests added to counted_total.
# wanted LABEL: whether BENCH_ROWS asks for this row (all rows without it).
wanted() {
    [[ -z ${BENCH_ROWS:-} ]] || grep -Eq -- "$BENCH_ROWS" <<<"$1"
}

row() {
    local n=$1 label=$2 url=$3 counted=$4
    shift 4
    wanted "$label" || return 0
    warm "$url" identity "$@"
    warm "$url" gzip "$@"
    measure "$n" "$label" identity "$url" "counted=$counted" "$@"
    counted_total=$((counted_total + last_counted))
    measure "$n" "$label" gzip "$url" "counted=$counted" "$@"
    counted_total=$((counted_total + last_counted))
}

start_nginx() {
    local www=$tmp/www conf=$tmp/nginx.conf
    mkdir -p "$www" "$tmp/nginx"
    chmod 755 "$www"
    nginx_port=$(free_port)
    nginx_gzip_port=$(free_port)
    cat >"$conf" <<EOF
# Generated by bench/run.sh: the article page's bytes as a static file.
worker_processes 2;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    types { text/html html; }
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $www;
        gzip off;
    }
    server {
        listen 127.0.0.1:$nginx_gzip_port;
        root $www;
        gzip on;
        gzip_comp_level 1;
        gzip_types text/html;
    }
}
EOF
    nginx -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$conf" >"$tmp/nginx/stdout.log" 2>&1 &
    nginx_pid=$!
    echo "ok" >"$www/ping.html"
    wait_http "http://127.0.0.1:$nginx_port/ping.html" "$nginx_pid" "$tmp/nginx/error.log"
    wait_http "http://127.0.0.1:$nginx_gzip_port/ping.html" "$nginx_pid" "$tmp/nginx/error.log"
}

# copy_database FROM TO: the database file and any folder beside it named after it (a
# search index such as FROM.search/ becomes TO.search/).
copy_database() {
    local from=$1 to=$2 extra
    cp "$from" "$to"
    for extra in "$from".*; do
        [[ -d $extra ]] || continue
        rm -rf "$to${extra#"$from"}"
        cp -r "$extra" "$to${extra#"$from"}"
    done
}

if [[ -n ${BENCH_BIN:-} ]]; then
    bin=$BENCH_BIN
elif [[ $profile == dev ]]; then
    echo "== build (dev)" >&2
    cargo build --quiet --bin sahifa >&2
else
    echo "== build ($profile)" >&2
    cargo build --quiet --profile "$profile" --bin sahifa >&2
fi
[[ -x $bin ]] || fail "no binary at $bin"

start_nginx
declare -A summary=()

for n in $sizes; do
    echo "== N = $n articles" >&2
    dir=$tmp/n$n
    mkdir -p "$dir"
    db=$dir/sahifa.db
    corpus=${BENCH_CORPUS_DIR:+$BENCH_CORPUS_DIR/corpus-$n.db}
    if [[ -n $corpus && -f $corpus ]]; then
        copy_database "$corpus" "$db"
        seeded="copied the corpus seeded earlier from $corpus"
        fact "$n" seed_ms ""
    else
        seed_started=$(now_ms)
        seeded=$("$bin" --database "$db" --no-demo seed --articles "$n") || fail "seed failed"
        fact "$n" seed_ms "$(($(now_ms) - seed_started))"
        if [[ -n $corpus ]]; then
            mkdir -p "$BENCH_CORPUS_DIR"
            # One file: fold the write-ahead log into the database first.
            python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$db"
            copy_database "$db" "$corpus"
        fi
    fi
    echo "  $seeded" >&2
    summary[seed_$n]=$seeded
    visible="status = 'published' AND published_at <= CAST(strftime('%s', 'now') AS INTEGER)"
    article_id=$(sql "$db" "SELECT id FROM articles WHERE $visible ORDER BY published_at DESC, id DESC LIMIT 1")
    [[ -n $article_id ]] || fail "the seeded database has no article"
    section=$(sql "$db" "SELECT sections.slug FROM sections JOIN articles ON articles.section_id = sections.id WHERE articles.id = $article_id")
    views_before=$(sql "$db" "SELECT views FROM article_views WHERE article_id = $article_id")
    all_views_before=$(sql "$db" "SELECT coalesce(sum(views), 0) FROM article_views")
    text_bytes=$(sql "$db" "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(summary AS BLOB)) + length(CAST(body AS BLOB))) FROM articles JOIN article_bodies ON article_bodies.article_id = articles.id")
    fact "$n" text_bytes "$text_bytes"

    # The lists wrk picks from (see bench/lists.py).
    list_facts=$(python3 "$ROOT/bench/lists.py" lists "$db" "$dir" "$article_id" "$queries" "$random_seed") ||
        fail "cannot make the lists of paths"
    declare -A lists=()
    for kv in $list_facts; do lists[${kv%%=*}]=${kv#*=}; done
    echo "  lists: ${lists[articles]} other articles, ${lists[home_pages]} home pages, ${lists[section_pages]} pages of ${lists[sections]} sections, ${lists[searches]} searches" >&2

    # Cold start: from launching the binary to the first 200 from /healthz.
    port=$(free_port)
    base=http://127.0.0.1:$port
    started=$(now_ms)
    RUST_LOG=${BENCH_LOG:-warn} "$bin" --database "$db" --no-demo --bind "127.0.0.1:$port" \
        >"$dir/server.log" 2>&1 &
    server_pid=$!
    wait_http "$base/healthz" "$server_pid" "$dir/server.log" 600
    cold_ms=$(($(now_ms) - started))
    fact "$n" cold_ms "$cold_ms"
    echo "  cold start: $cold_ms ms to the first 200 from /healthz" >&2

    query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$search_query")
    declare -A urls=(
        [article]="$base/a/$article_id"
        [home]="$base/"
        [section]="$base/section/$section"
        [search]="$base/search?q=$query"
    )

    # Every page answers 200, and its gzip answer (if compressed) is the same page.
    for page in article home section search; do
        check_page "${urls[$page]}" "$dir/$page"
        summary[enc_${n}_$page]=$checked_encoding
    done
    if [[ ${summary[enc_${n}_article]} == gzip ]]; then
        # And what curl's own decoder (zlib) makes of it.
        curl -sS --compressed -H "Sec-Purpose: prefetch" "${urls[article]}" -o "$dir/article.curl"
        cmp -s "$dir/article.curl" "$dir/article.identity" || fail "curl --compressed differs"
    fi
    # And so do a few pages of each list.
    for list in articles home-pages section-pages searches; do
        check_list "$dir/$list.txt" "$base" "$dir/check-$list"
    done
    # The home page's last page is the last: the one after it does not exist.
    after_last="$base/?page=$((lists[home_pages] + 1))"
    status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Sec-Purpose: prefetch" "$after_last")
    [[ $status == 404 ]] ||
        echo "warning: $after_last answered $status, not 404: is the last page computed right (bench/lists.py)?" >&2
    # Every page of every author line, by the slug the site gives it.
    python3 "$ROOT/bench/lists.py" authors "$db" "$base" "$dir/author-pages.txt" >&2 ||
        fail "cannot list the author pages"
    check_list "$dir/author-pages.txt" "$base" "$dir/check-author-pages"
    # Every page of every tag (the seeder tags each article with its place).
    tag_facts=$(python3 "$ROOT/bench/lists.py" tags "$db" "$dir/tag-pages.txt") ||
        fail "cannot list the tag pages"
    [[ $tag_facts != tag_pages=0 ]] || fail "the corpus has no tags: seed it again with this build"
    check_list "$dir/tag-pages.txt" "$base" "$dir/check-tag-pages"
    # The crawler's walk, from the sitemaps as served.
    walk_facts=$(python3 "$ROOT/bench/lists.py" walk "$base" "$dir/walk.txt" "/a/$article_id") ||
        fail "cannot read the sitemaps"
    declare -A walk=()
    for kv in $walk_facts; do walk[${kv%%=*}]=${kv#*=}; done
    echo "  crawler walk: ${walk[sitemaps]} sitemap documents listing ${walk[urls]} URLs (${walk[articles]} articles)" >&2
    fact "$n" sitemap_urls "${walk[urls]}"

    # The article's exact bytes, for nginx.
    cp "$dir/article.identity" "$tmp/www/article-$n.html"
    chmod 644 "$tmp/www/article-$n.html"
    nginx_url=http://127.0.0.1:$nginx_port/article-$n.html
    nginx_gzip_url=http://127.0.0.1:$nginx_gzip_port/article-$n.html
    fetch "$nginx_gzip_url" "$dir/nginx.gzip" -H "$gzip_header"
    [[ $(content_encoding "$dir/nginx.gzip") == gzip ]] || fail "nginx did not compress"

    counted_total=0
    # nginx: identity from the server with gzip off, gzip from the one with gzip on.
    warm "$nginx_url" identity
    warm "$nginx_gzip_url" gzip
    measure "$n" "nginx static" identity "$nginx_url" counted=0
    measure "$n" "nginx static" gzip "$nginx_gzip_url" counted=0
    # Each page warmed up just before it is measured, searches last: a slow page's backlog
    # (requests wrk gave up on) must not land on the next page's measurement.
    row "$n" "hot article" "${urls[article]}" "$seconds"
    hot_counted=$counted_total
    row "$n" home "${urls[home]}" 0
    row "$n" section "${urls[section]}" 0
    row "$n" "long tail, uniform" "$base/" "$seconds" "paths=$dir/articles.txt" pick=uniform
    row "$n" "long tail, Zipf s=$zipf_s" "$base/" "$seconds" "paths=$dir/articles.txt" pick=zipf "s=$zipf_s"
    row "$n" "home, random ?page" "$base/" 0 "paths=$dir/home-pages.txt" pick=uniform
    row "$n" "section, random ?page" "$base/" 0 "paths=$dir/section-pages.txt" pick=uniform
    row "$n" "author, random ?page" "$base/" 0 "paths=$dir/author-pages.txt" pick=uniform
    row "$n" "tag, random ?page" "$base/" 0 "paths=$dir/tag-pages.txt" pick=uniform
    # No warm-up: a crawler visits each URL once, and the gzip run goes on where the
    # identity run stopped.
    walk_args=("paths=$dir/walk.txt" pick=walk "threads=$threads" "counted=$seconds")
    if wanted "crawler walk"; then
        measure "$n" "crawler walk" identity "$base/" "${walk_args[@]}" offset=0
        counted_total=$((counted_total + last_counted))
        measure "$n" "crawler walk" gzip "$base/" "${walk_args[@]}" "offset=$last_walked"
        counted_total=$((counted_total + last_counted))
    fi
    row "$n" "search, one query" "${urls[search]}" 0 statuses=1
    row "$n" "search, varied" "$base/" 0 "paths=$dir/searches.txt" pick=distinct statuses=1
    row "$n" "search, uncached" "$base/" 0 "paths=$dir/searches-uncached.txt" pick=walk statuses=1

    rss_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")
    summary[rss_$n]=$rss_kb
    fact "$n" rss_kb "$rss_kb"
    # What the resident memory is made of at the end: the heap and stacks (anonymous),
    # and pages of mapped files (the search index), which the kernel reclaims at will.
    rss_parts=$(awk '/^(RssAnon|RssFile|RssShmem):/ {printf "%s %s kB  ", $1, $2}' "/proc/$server_pid/status")
    echo "  resident at the end: $rss_parts" >&2
    summary[rss_parts_$n]=$rss_parts
    stop_pid "$server_pid"
    server_pid=""
    views_after=$(sql "$db" "SELECT views FROM article_views WHERE article_id = $article_id")
    all_views_after=$(sql "$db" "SELECT coalesce(sum(views), 0) FROM article_views")
    delta=$((views_after - views_before))
    all_delta=$((all_views_after - all_views_before))
    summary[views_$n]="hot article +$delta views stored for $hot_counted counted requests; all articles +$all_delta for $counted_total"
    fact "$n" views "$all_delta $counted_total $delta $hot_counted"
    if ((delta != hot_counted)); then
        cat "$dir/server.log" >&2
        fail "N=$n: the hot article's views grew by $delta, wrk completed $hot_counted counted requests"
    fi
    if ((all_delta != counted_total)); then
        cat "$dir/server.log" >&2
        fail "N=$n: the articles' views grew by $all_delta in total, wrk completed $counted_total counted requests"
    fi
    read -r storage_bytes storage_detail < <(python3 "$ROOT/bench/lists.py" storage "$db")
    fact "$n" storage_bytes "$storage_bytes"
    fact "$n" storage_detail "$storage_detail"
    echo "  view counts: hot article +$delta = $hot_counted counted requests; all articles +$all_delta = $counted_total" >&2
    echo "  peak RSS: $((rss_kb / 1024)) MB" >&2
    echo "  storage: $storage_bytes bytes ($storage_detail) for $text_bytes bytes of article text" >&2
done

# The tables, as Markdown.
python3 - "$results" "$facts" "$connections" "$threads" "$seconds" "$tail_seconds" <<'EOF'
import sys
from collections import defaultdict
path, facts_path, connections, threads, seconds, tail = sys.argv[1:]
rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8") if line.strip()]
by_n = defaultdict(list)
for n, label, enc, rps, p50, p99, size, requests, counted, other in rows:
    by_n[n].append((label, enc, float(rps), int(p50), int(p99), int(size), other))
facts = defaultdict(dict)
for line in open(facts_path, encoding="utf-8"):
    n, key, value = line.rstrip("\n").split("\t")
    facts[n][key] = value

def ms(us):
    return f"{us / 1000:,.2f}"

def nginx_of(entries):
    return {enc: rps for label, enc, rps, *_ in entries if label == "nginx static"}

print(f"\nwrk -t{threads} -c{connections}, {seconds} s per row (+{tail} s uncounted tail); "
      "req/s counts 200 answers only, latencies all answers\n")
for n, entries in by_n.items():
    nginx = nginx_of(entries)
    print(f"### N = {int(n):,} articles\n")
    print("| page | encoding | req/s | p50 ms | p99 ms | × nginx identity | × nginx gzip "
          "| bytes/response | not 200 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for label, enc, rps, p50, p99, size, other in entries:
        ratio_id = rps / nginx["identity"] if nginx.get("identity") else float("nan")
        ratio_gz = rps / nginx["gzip"] if nginx.get("gzip") else float("nan")
        other = "" if other == "-" else other.replace("x", "×").replace(",", ", ")
        print(f"| {label} | {enc} | {rps:,.0f} | {ms(p50)} | {ms(p99)} | {ratio_id:.2f} "
              f"| {ratio_gz:.2f} | {size:,} | {other} |")
    print()

print("| N | seed | cold start | peak RSS | database + index | article text | storage ÷ text "
      "| views stored = counted |")
print("|---:|---:|---:|---:|---:|---:|---:|---|")
for n, f in facts.items():
    seed = f"{int(f['seed_ms']) / 1000:,.1f} s" if f.get("seed_ms") else "(copied)"
    text = int(f.get("text_bytes") or 0)
    storage = int(f.get("storage_bytes") or 0)
    views = [int(v) for v in f["views"].split()]
    ratio = f"{storage / text:.2f}" if text else "—"
    print(f"| {int(n):,} | {seed} | {int(f['cold_ms']):,} ms | {int(f['rss_kb']) / 1024:,.0f} MB "
          f"| {storage / 1e6:,.1f} MB | {text / 1e6:,.1f} MB | {ratio} "
          f"| {views[0]:+,} = {views[1]:,} (hot article {views[2]:+,} = {views[3]:,}) |")
print()

sizes = list(by_n)
if len(sizes) >= 2:
    small, large = sizes[0], sizes[-1]
    def ratios(n):
        nginx = nginx_of(by_n[n])
        return {(label, enc): rps / nginx["identity"]
                for label, enc, rps, *_ in by_n[n] if nginx.get("identity")}
    a, b = ratios(small), ratios(large)
    print(f"| page | encoding | × nginx identity, N = {int(small):,} "
          f"| × nginx identity, N = {int(large):,} | change |")
    print("|---|---|---:|---:|---:|")
    for key in a:
        if key in b and key[0] != "nginx static":
            change = f"{(b[key] / a[key] - 1) * 100:+.0f} %" if a[key] else "—"
            print(f"| {key[0]} | {key[1]} | {a[key]:.2f} | {b[key]:.2f} | {change} |")
    print()
EOF

for n in $sizes; do
    echo "N = $n: ${summary[seed_$n]}"
    rss_kb=${summary[rss_$n]}
    echo "N = $n: peak RSS $((rss_kb / 1024)) MB (VmHWM $rss_kb kB; at the end ${summary[rss_parts_$n]}); ${summary[views_$n]}"
    echo "N = $n: Content-Encoding for '$gzip_header': article ${summary[enc_${n}_article]}, home ${summary[enc_${n}_home]}, section ${summary[enc_${n}_section]}, search ${summary[enc_${n}_search]}"
done
echo "benchmark finished"
