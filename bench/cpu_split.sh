#!/usr/bin/env bash
# Where an uncached article page's time goes: one sahifa instance on DATABASE (an SQLite
# file or a postgres:// URL holding a seeded archive), 3 s of warm-up, then 10 s of the long
# tail (random articles of LIST, a file of /a/{id} paths as bench/lists.py writes them); prints
# the throughput and the CPU seconds spent in sahifa and in the PostgreSQL server processes.
#
#   bench/cpu_split.sh BIN DATABASE LIST
set -euo pipefail
bin=$1 db=$2 list=$3
root=$(cd "$(dirname "$0")/.." && pwd)
state=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn "$bin" --database "$db" --state-dir "$state" --no-demo --bind "127.0.0.1:$port" >"$state/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$state"' EXIT
until curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.2; done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_ticks() {
    local total=0 p
    for p in $(pgrep -u postgres postgres || true); do total=$((total + $(ticks "$p"))); done
    echo "$total"
}
run() { wrk -t2 -c64 -d"$1" -s "$root/bench/wrk.lua" "http://127.0.0.1:$port/" -- "paths=$list" pick=uniform; }
run 3s >/dev/null
s0=$(ticks $pid) p0=$(postgres_ticks)
out=$(run 10s)
s1=$(ticks $pid) p1=$(postgres_ticks)
hz=$(getconf CLK_TCK)
grep "Requests/sec" <<<"$out"
echo "CPU seconds: sahifa $(python3 -c "print(($s1 - $s0) / $hz)"), PostgreSQL $(python3 -c "print(($p1 - $p0) / $hz)")"
