#!/usr/bin/env bash
# Benchmark of issue 13: one and two sahifa instances on one PostgreSQL database behind
# nginx as a load balancer (upstream with keepalive), against one instance on SQLite, on the
# same archive and in the same run, with nginx serving the hot article's bytes as the yard
# stick. Rows: the hot article (counting views), the long tail (random articles of the whole
# archive, counting views), varied searches. Ends with a Markdown table and checks that
# every counted view is in the database, exactly, in each configuration.
#
#   bench/instances.sh                 N = 10,000 articles, 10 s per measurement
#   BENCH_SIZE=100000 BENCH_CORPUS_DIR=/work/corpus bench/instances.sh
#
# Environment: BENCH_SIZE, BENCH_DURATION (default 10s), BENCH_CONNECTIONS (64),
# BENCH_THREADS (2), BENCH_PROFILE (release), BENCH_BIN, BENCH_CORPUS_DIR (as in
# bench/run.sh), BENCH_PG (the server, default postgres://postgres@127.0.0.1:5432; a
# database sahifa_bench is created and dropped there), BENCH_KEEP=1.
#
# Needs: cargo, wrk, nginx, curl, psql, python3.

set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

n=${BENCH_SIZE:-10000}
duration=${BENCH_DURATION:-10s}
seconds=${duration%s}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
profile=${BENCH_PROFILE:-release}
pg=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
pg_db=sahifa_bench
seed=1

fail() { echo "bench/instances.sh: $*" >&2; exit 1; }
for tool in cargo wrk nginx curl psql python3; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || fail "needs $tool"
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d /tmp/sahifa-instances.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [[ -f $tmp/nginx.pid ]] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
    psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sqlite_sql() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$1" "$2"; }
pg_sql() { psql "$pg/$pg_db" -tAc "$1"; }

wait_http() {
    local url=$1 pid=$2 log=$3
    for _ in $(seq 1 6000); do
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "the server exited"; }
        sleep 0.05
    done
    fail "$url did not answer"
}

# stop PID: SIGTERM and wait (the pending views are written before it exits).
stop() {
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 1200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}

if [[ -n ${BENCH_BIN:-} ]]; then
    bin=$BENCH_BIN
else
    echo "building ($profile)…" >&2
    cargo build --quiet --profile "$profile"
    target=${CARGO_TARGET_DIR:-$ROOT/target}
    bin=$target/$([[ $profile == dev ]] && echo debug || echo "$profile")/sahifa
fi

# The archive: the corpus seeded earlier, or seeded now.
db=$tmp/sahifa.db
corpus=${BENCH_CORPUS_DIR:+$BENCH_CORPUS_DIR/corpus-$n.db}
if [[ -n $corpus && -f $corpus ]]; then
    cp "$corpus" "$db"
else
    "$bin" --database "$db" --no-demo seed --articles "$n" >&2 || fail "seed failed"
    python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA wal_checkpoint(TRUNCATE)")' "$db"
    if [[ -n $corpus ]]; then mkdir -p "$BENCH_CORPUS_DIR"; cp "$db" "$corpus"; fi
fi
rm -rf "$db.search"
visible="status = 'published' AND published_at <= CAST(strftime('%s', 'now') AS INTEGER)"
hot=$(sqlite_sql "$db" "SELECT id FROM articles WHERE $visible ORDER BY published_at DESC, id DESC LIMIT 1")
python3 "$ROOT/bench/lists.py" lists "$db" "$tmp" "$hot" "$ROOT/bench/queries.txt" "$seed" >/dev/null
echo "archive: $n articles; $(wc -l <"$tmp/articles.txt") in the long tail, $(wc -l <"$tmp/searches.txt") searches" >&2

# The same archive in PostgreSQL.
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
psql "$pg/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null
started=$(date +%s%N)
"$bin" copy-database --from "$db" --to "$pg/$pg_db" >"$tmp/copy.log" || { cat "$tmp/copy.log" >&2; fail "copy-database failed"; }
copy_s=$(python3 -c "print(f'{($(date +%s%N) - $started) / 1e9:.1f}')")
echo "copied to PostgreSQL in $copy_s s" >&2

# start_sahifa NAME DATABASE: an instance on a free port; sets port and pid.
start_sahifa() {
    local name=$1 database=$2
    port=$(free_port)
    mkdir -p "$tmp/$name"
    RUST_LOG=warn "$bin" --database "$database" --state-dir "$tmp/$name" --no-demo \
        --bind "127.0.0.1:$port" >"$tmp/$name.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    wait_http "http://127.0.0.1:$port/healthz" "$pid" "$tmp/$name.log"
}

# nginx: the hot page's bytes as a static file, and an upstream of the given ports.
# start_nginx PORT...: sets nginx_port.
start_nginx() {
    [[ -f $tmp/nginx.pid ]] && { kill "$(cat "$tmp/nginx.pid")"; sleep 0.5; }
    nginx_port=$(free_port)
    local servers="" p
    for p in "$@"; do servers+="        server 127.0.0.1:$p max_fails=0;"$'\n'; done
    cat >"$tmp/nginx.conf" <<CONF
worker_processes 2;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    upstream sahifa {
$servers        keepalive 64;
    }
    server {
        listen 127.0.0.1:$nginx_port;
        location = /static-page { default_type text/html; alias $tmp/hot.html; }
        location / {
            proxy_pass http://sahifa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
        }
    }
}
CONF
    "$nginx_bin" -c "$tmp/nginx.conf" -p "$tmp" 2>>"$tmp/nginx-error.log" || fail "nginx did not start"
    sleep 0.3
}

results=$tmp/results.tsv
: >"$results"
# measure CONFIG LABEL URL [ARG...]: one wrk run; appends a row; adds counted views.
counted_total=0
measure() {
    local config=$1 label=$2 url=$3
    shift 3
    local out line
    out=$(wrk -t"$threads" -c"$connections" -d"$((seconds + 1))s" --timeout 5s \
        -s "$ROOT/bench/wrk.lua" "$url" -- "seed=$seed" "$@" 2>&1) || { echo "$out" >&2; fail "wrk failed"; }
    line=$(grep '^BENCH ' <<<"$out") || { echo "$out" >&2; fail "no summary from wrk"; }
    declare -A r=()
    local kv
    for kv in ${line#BENCH }; do r[${kv%%=*}]=${kv#*=}; done
    ((r[err_connect] == 0)) || fail "$config $label: connect errors"
    local rps
    rps=$(python3 -c "print(f'{(${r[requests]} - ${r[err_status]}) / ${r[seconds]}:.0f}')")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$config" "$label" "$rps" "${r[p50_us]}" "${r[p99_us]}" "${r[err_status]}" >>"$results"
    printf '  %-28s %-14s %8s req/s  p50 %6.1f ms  p99 %6.1f ms  non-200 %s\n' "$config" "$label" "$rps" \
        "$(python3 -c "print(${r[p50_us]}/1000)")" "$(python3 -c "print(${r[p99_us]}/1000)")" "${r[err_status]}" >&2
    counted_total=$((counted_total + r[counted]))
}

# run_rows CONFIG BASE: the three rows against BASE.
run_rows() {
    local config=$1 base=$2
    # Warm the caches a little, counting nothing.
    wrk -t"$threads" -c"$connections" -d2s -s "$ROOT/bench/wrk.lua" "$base/a/$hot" -- counted=0 >/dev/null 2>&1 || true
    measure "$config" "hot article" "$base/a/$hot" "counted=$seconds"
    measure "$config" "long tail" "$base/" "paths=$tmp/articles.txt" pick=uniform "counted=$seconds"
    measure "$config" "varied search" "$base/" "paths=$tmp/searches.txt" pick=distinct statuses=1
}

total_views_sqlite() { sqlite_sql "$db" "SELECT coalesce(sum(views), 0) FROM article_views"; }
total_views_pg() { pg_sql "SELECT coalesce(sum(views), 0) FROM article_views"; }
check_counts() {
    local config=$1 before=$2 after=$3 counted=$4
    if ((after - before != counted)); then
        fail "$config: views grew by $((after - before)), wrk counted $counted"
    fi
    echo "  $config: views +$counted, exactly as counted" >&2
    count_checks+=("$config: +$counted views stored, exactly the requests counted")
}
count_checks=()

# 1. nginx static, and one instance on SQLite (direct).
start_sahifa sqlite "$db"
sqlite_pid=$pid
curl -sS -H "Sec-Purpose: prefetch" -o "$tmp/hot.html" "http://127.0.0.1:$port/a/$hot"
start_nginx "$port"
echo "nginx static" >&2
measure "nginx static" "same bytes" "http://127.0.0.1:$nginx_port/static-page"
echo "SQLite, one instance" >&2
before=$(total_views_sqlite); counted_total=0
run_rows "SQLite ×1" "http://127.0.0.1:$port"
stop "$sqlite_pid"
check_counts "SQLite ×1" "$before" "$(total_views_sqlite)" "$counted_total"

# 2. One instance on PostgreSQL: direct, then behind nginx.
start_sahifa pg1 "$pg/$pg_db"
pg1_pid=$pid pg1_port=$port
start_nginx "$pg1_port"
echo "PostgreSQL, one instance" >&2
before=$(total_views_pg); counted_total=0
run_rows "PostgreSQL ×1" "http://127.0.0.1:$pg1_port"
run_rows "PostgreSQL ×1 behind nginx" "http://127.0.0.1:$nginx_port"

# 3. Two instances behind nginx.
start_sahifa pg2 "$pg/$pg_db"
pg2_pid=$pid pg2_port=$port
start_nginx "$pg1_port" "$pg2_port"
echo "PostgreSQL, two instances" >&2
run_rows "PostgreSQL ×2 behind nginx" "http://127.0.0.1:$nginx_port"
stop "$pg1_pid"
stop "$pg2_pid"
check_counts "PostgreSQL (all runs)" "$before" "$(total_views_pg)" "$counted_total"

# The table.
static_rps=$(awk -F'\t' '$1 == "nginx static" { print $3 }' "$results")
echo
echo "N = $n articles, wrk -t$threads -c$connections, ${seconds} s per row, identity; nginx static: $static_rps req/s"
echo
echo "| configuration | traffic | req/s | × nginx static | p50 ms | p99 ms | non-200 |"
echo "|---|---|---|---|---|---|---|"
awk -F'\t' -v s="$static_rps" '$1 != "nginx static" {
    printf "| %s | %s | %s | %.2f | %.1f | %.1f | %s |\n", $1, $2, $3, $3 / s, $4 / 1000, $5 / 1000, $6 }' "$results"
echo
for check in "${count_checks[@]}"; do echo "- $check"; done
echo "- copy-database of the archive to PostgreSQL: $copy_s s"
