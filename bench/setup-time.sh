#!/usr/bin/env bash
# Time the set-up as a new user meets it: a fresh clone, empty package caches, then
#   1. `make demo` until its first page answers (then it is stopped), and
#   2. `make test` (installing the dev tools on top, then the whole suite).
# Usage: bench/setup-time.sh [GIT-REF] [PORT]   (from a clone of the project)
# Prints one line per step: seconds of wall time, and CPU seconds of the step's processes.
set -u
ref=${1:-HEAD}
port=${2:-8765}
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/project"
cd "$work/project"
git checkout -q "$ref"
export UV_CACHE_DIR="$work/uv-cache" PIP_CACHE_DIR="$work/pip-cache" PORT="$port"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

start=$(date +%s.%N)
setsid make demo >"$work/demo.log" 2>&1 &
demo=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
    if ! kill -0 "$demo" 2>/dev/null; then
        echo "make demo stopped before serving:"; tail -20 "$work/demo.log"; exit 1
    fi
    sleep 0.5
done
echo "make demo, first page: $(echo "$(date +%s.%N) - $start" | bc) s"
kill -TERM -- "-$demo"
wait "$demo" 2>/dev/null

start=$(date +%s.%N)
make test PYTEST_ARGS="-q -p no:cacheprovider" >"$work/test.log" 2>&1
status=$?
echo "make test (dev install + suite): $(echo "$(date +%s.%N) - $start" | bc) s, exit $status"
grep -E "installing|passed|failed" "$work/test.log" | tail -3
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
