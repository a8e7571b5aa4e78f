#!/usr/bin/env bash
# Benchmark: sahifa's pages against nginx serving the article page's exact bytes as a
# static file, measured in the same run so that the ratios compare across machines.
#
#   bench/run.sh            N = 100 and N = 100,000 articles, 10 s per measurement
#   bench/run.sh --smoke    N = 100 only, 2 s per measurement (CI: asserts no timings)
#
# Environment:
#   BENCH_DURATION      seconds per measurement (default 10s; "10" or "10s")
#   BENCH_SIZES         corpus sizes (default "100 100000"; smoke: "100")
#   BENCH_CONNECTIONS   wrk connections (default 64); BENCH_THREADS wrk threads (default 2)
#   BENCH_PROFILE       cargo profile to build and run (default release)
#   BENCH_SEARCH_QUERY  the search measured (default اللاذقية, a place: see src/app/seed.rs)
#   BENCH_KEEP=1        keep the temporary folder (databases, logs, nginx config)
#   BENCH_SMOKE=1       same as --smoke
#   CARGO_TARGET_DIR    honoured, as by cargo
#   BENCH_BIN           run this sahifa binary instead of building one (e.g. an older build)
#   BENCH_CORPUS_DIR    keep each seeded database there and copy it on later runs (seeding
#                       100,000 articles and their search index takes minutes)
#
# Needs: cargo, wrk, nginx, curl, python3 (its sqlite3 and gzip modules). Everything runs on
# 127.0.0.1 only, and everything started here is stopped on exit.
#
# Fails (exit 1) when a server does not start, a page answers anything but 200, a gzip
# response does not decode to the identity page, or the article's view count in the
# database did not grow by exactly the number of counted requests wrk completed.

set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

smoke=${BENCH_SMOKE:-0}
for arg in "$@"; do
    case $arg in
        --smoke) smoke=1 ;;
        -h | --help)
            sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'
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
    warmup=1
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
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
profile=${BENCH_PROFILE:-release}
search_query=${BENCH_SEARCH_QUERY:-اللاذقية}
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sahifa-bench.XXXXXX")
# nginx's workers may run as another user: they need to read the page they serve.
chmod 755 "$tmp"
server_pid=""
nginx_pid=""

stop_pid() {
    local pid=$1
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 300); do
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
print("" if row is None else row[0])
EOF
}

# wait_http URL PID LOG: until URL answers, failing if the process PID exits first.
wait_http() {
    for _ in $(seq 1 300); do
        kill -0 "$2" 2>/dev/null || { cat "$3" >&2; fail "the server exited at start ($3)"; }
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    cat "$3" >&2
    fail "no answer from $1 after 30 s"
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

results=$tmp/results.tsv
: >"$results"

# measure N LABEL ENCODING COUNTED_SECONDS URL [HEADER...]: one wrk run; appends to results.
measure() {
    local n=$1 label=$2 encoding=$3 counted=$4 url=$5
    shift 5
    local args=() header
    for header in "$@"; do args+=(-H "$header"); done
    local out
    out=$(wrk -t"$threads" -c"$connections" -d"$((seconds + 1))s" --timeout 5s \
        -s "$ROOT/bench/wrk.lua" "${args[@]}" "$url" -- "$counted" 2>&1) ||
        { echo "$out" >&2; fail "wrk failed on $url"; }
    local line
    line=$(grep '^BENCH ' <<<"$out") || { echo "$out" >&2; fail "no summary from wrk on $url"; }
    declare -A r=()
    local kv
    for kv in ${line#BENCH }; do r[${kv%%=*}]=${kv#*=}; done
    if ((r[err_status] > 0 || r[err_connect] > 0)); then
        echo "$out" >&2
        fail "$label ($encoding): ${r[err_status]} non-2xx answers, ${r[err_connect]} connect errors"
    fi
    if ((r[err_read] + r[err_write] + r[err_timeout] > 0)); then
        echo "warning: $label ($encoding): ${r[err_read]} read, ${r[err_write]} write and ${r[err_timeout]} timeout errors" >&2
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$label" "$encoding" "${r[rps]}" \
        "${r[p50_us]}" "${r[p99_us]}" "$((r[bytes] / (r[requests] > 0 ? r[requests] : 1)))" \
        "${r[requests]}" "${r[counted]}" >>"$results"
    printf '  %-22s %-9s %10s req/s  p50 %6.2f ms  p99 %6.2f ms\n' "$label" "$encoding" \
        "${r[rps]}" "$(bc_div "${r[p50_us]}" 1000)" "$(bc_div "${r[p99_us]}" 1000)" >&2
    last_counted=${r[counted]}
}

bc_div() { python3 -c "print($1 / $2)"; }

warm() {
    local url=$1
    shift
    local args=() header
    for header in "$@"; do args+=(-H "$header"); done
    wrk -t"$threads" -c"$connections" -d"${warmup}s" -s "$ROOT/bench/wrk.lua" "${args[@]}" \
        "$url" -- 0 >/dev/null 2>&1 || fail "warm-up of $url failed"
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
        cp "$corpus" "$db"
        seeded="copied the corpus seeded earlier from $corpus"
    else
        seeded=$("$bin" --database "$db" --no-demo seed --articles "$n") || fail "seed failed"
        if [[ -n $corpus ]]; then
            mkdir -p "$BENCH_CORPUS_DIR"
            # One file: fold the write-ahead log into the database first.
            python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$db"
            cp "$db" "$corpus"
        fi
    fi
    echo "  $seeded" >&2
    summary[seed_$n]=$seeded
    article_id=$(sql "$db" "SELECT id FROM articles WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 1")
    [[ -n $article_id ]] || fail "the seeded database has no article"
    section=$(sql "$db" "SELECT sections.slug FROM sections JOIN articles ON articles.section_id = sections.id WHERE articles.id = $article_id")
    views_before=$(sql "$db" "SELECT views FROM articles WHERE id = $article_id")

    port=$(free_port)
    base=http://127.0.0.1:$port
    RUST_LOG=${BENCH_LOG:-warn} "$bin" --database "$db" --no-demo --bind "127.0.0.1:$port" \
        >"$dir/server.log" 2>&1 &
    server_pid=$!
    wait_http "$base/healthz" "$server_pid" "$dir/server.log"

    query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$search_query")
    declare -A urls=(
        [article]="$base/a/$article_id"
        [home]="$base/"
        [section]="$base/section/$section"
        [search]="$base/search?q=$query"
    )

    # Every page answers 200, and its gzip answer (if compressed) is the same page.
    for page in article home section search; do
        fetch "${urls[$page]}" "$dir/$page.identity"
        fetch "${urls[$page]}" "$dir/$page.gzip" -H "$gzip_header"
        encoding=$(content_encoding "$dir/$page.gzip")
        summary[enc_${n}_$page]=${encoding:-identity}
        case ${encoding:-identity} in
            gzip) check_gzip "$dir/$page.identity" "$dir/$page.gzip" ;;
            identity) ;;
            *) fail "$page: unexpected Content-Encoding $encoding for '$gzip_header'" ;;
        esac
    done
    if [[ ${summary[enc_${n}_article]} == gzip ]]; then
        # And what curl's own decoder (zlib) makes of it.
        curl -sS --compressed -H "Sec-Purpose: prefetch" "${urls[article]}" -o "$dir/article.curl"
        cmp -s "$dir/article.curl" "$dir/article.identity" || fail "curl --compressed differs"
    fi
    # The article's exact bytes, for nginx.
    cp "$dir/article.identity" "$tmp/www/article-$n.html"
    chmod 644 "$tmp/www/article-$n.html"
    nginx_url=http://127.0.0.1:$nginx_port/article-$n.html
    nginx_gzip_url=http://127.0.0.1:$nginx_gzip_port/article-$n.html
    fetch "$nginx_gzip_url" "$dir/nginx.gzip" -H "$gzip_header"
    [[ $(content_encoding "$dir/nginx.gzip") == gzip ]] || fail "nginx did not compress"

    warm "$nginx_url"
    warm "$nginx_gzip_url" "$gzip_header"
    counted_total=0
    measure "$n" "nginx static" identity "$seconds" "$nginx_url"
    measure "$n" "nginx static" gzip "$seconds" "$nginx_gzip_url" "$gzip_header"
    # Each page warmed up just before it is measured, search last: a slow page's backlog
    # (requests wrk gave up on) must not land on the next page's measurement.
    for page in article home section search; do
        counted=0
        [[ $page == article ]] && counted=$seconds
        warm "${urls[$page]}"
        warm "${urls[$page]}" "$gzip_header"
        measure "$n" "$page" identity "$counted" "${urls[$page]}"
        counted_total=$((counted_total + last_counted))
        measure "$n" "$page" gzip "$counted" "${urls[$page]}" "$gzip_header"
        counted_total=$((counted_total + last_counted))
    done

    rss_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")
    summary[rss_$n]=$rss_kb
    stop_pid "$server_pid"
    server_pid=""
    views_after=$(sql "$db" "SELECT views FROM articles WHERE id = $article_id")
    delta=$((views_after - views_before))
    summary[views_$n]="$delta views stored for $counted_total counted requests"
    if ((delta != counted_total)); then
        cat "$dir/server.log" >&2
        fail "N=$n: the article's views grew by $delta, wrk completed $counted_total counted requests"
    fi
    echo "  view count: +$delta in the database = $counted_total counted requests completed" >&2
    echo "  peak RSS: $((rss_kb / 1024)) MB" >&2
done

# The table, as Markdown.
python3 - "$results" "$connections" "$threads" "$seconds" <<'EOF'
import sys
from collections import defaultdict
path, connections, threads, seconds = sys.argv[1:]
rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
by_n = defaultdict(list)
for n, label, enc, rps, p50, p99, size, requests, counted in rows:
    by_n[n].append((label, enc, float(rps), int(p50), int(p99), int(size)))
print(f"\nwrk -t{threads} -c{connections}, {seconds} s per row (+1 s uncounted tail)\n")
for n, entries in by_n.items():
    nginx = {enc: rps for label, enc, rps, *_ in entries if label == "nginx static"}
    print(f"### N = {int(n):,} articles\n")
    print("| page | encoding | req/s | p50 ms | p99 ms | bytes/response | × nginx identity | × nginx gzip |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for label, enc, rps, p50, p99, size in entries:
        ratio_id = rps / nginx["identity"] if nginx.get("identity") else float("nan")
        ratio_gz = rps / nginx["gzip"] if nginx.get("gzip") else float("nan")
        print(f"| {label} | {enc} | {rps:,.0f} | {p50/1000:.2f} | {p99/1000:.2f} | {size:,} "
              f"| {ratio_id:.2f} | {ratio_gz:.2f} |")
    print()
sizes = list(by_n)
if len(sizes) >= 2:
    def article(n, enc):
        return next(rps for label, e, rps, *_ in by_n[n] if label == "article" and e == enc)
    small, large = sizes[0], sizes[-1]
    for enc in ("identity", "gzip"):
        print(f"article {enc}: N={int(large):,} runs at {article(large, enc) / article(small, enc):.2f}"
              f" × the throughput of N={int(small):,}")
    print()
EOF

for n in $sizes; do
    echo "N = $n: ${summary[seed_$n]}"
    echo "N = $n: peak RSS $((summary[rss_$n] / 1024)) MB (VmHWM ${summary[rss_$n]} kB); ${summary[views_$n]}"
    echo "N = $n: Content-Encoding for '$gzip_header': article ${summary[enc_${n}_article]}, home ${summary[enc_${n}_home]}, section ${summary[enc_${n}_section]}, search ${summary[enc_${n}_search]}"
done
echo "benchmark finished"
