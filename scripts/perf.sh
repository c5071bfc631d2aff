#!/usr/bin/env bash
# The performance suite (issue 13): seeds installations of 1k, 10k and 50k
# talents through the program's own functions (internal/perf), measures
# "huicai serve" on each from outside over HTTP, and writes the table into
# the "## Scale" section of docs/benchmarks.md. Takes a quiet machine, about
# half an hour and 10 GB of temporary disk.
#
#   scripts/perf.sh            1k, 10k and 50k into docs/benchmarks.md
#   scripts/perf.sh --short    1k only, into test-output/perf.md (the test
#                              command runs it: it fails on any error, never
#                              because a figure is slow)
#
# PERF_SCALES changes the scales of the full run (e.g. PERF_SCALES=1000,10000);
# PERF_TMP names the folder the seeded installations go to (default: the
# system's temporary folder); they are removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

scales=${PERF_SCALES:-1000,10000,50000} out=docs/benchmarks.md requests=200 load=30s
if [ "${1:-}" = "--short" ]; then
  scales=1000 out=test-output/perf.md requests=100 load=10s
elif [ -n "${1:-}" ]; then
  echo "usage: scripts/perf.sh [--short]" >&2
  exit 2
fi

# The release binary, built only when missing or older than its sources.
if [ ! -x build/bin/huicai ] || [ -n "$(find main.go go.mod go.sum app internal frontend/src frontend/index.html \
  -newer build/bin/huicai -type f -not -path 'internal/perf/*' -not -name '*_test.go' -print -quit)" ]; then
  bash scripts/build.sh linux
fi
go build -o build/bin/huicai-perf ./internal/perf/cmd/huicai-perf

section=$(mktemp)
trap 'rm -f "$section"' EXIT
build/bin/huicai-perf run -bin build/bin/huicai -scales "$scales" -requests "$requests" -load "$load" \
  ${PERF_TMP:+-tmp "$PERF_TMP"} -out "$section"

# What one password hash costs (the Argon2id parameters every sign-in pays;
# see "Password hashing" in docs/benchmarks.md).
go test -run '^$' -bench '^BenchmarkHashPassword$' -benchtime 5x -benchmem ./internal/account/ |
  awk '/^BenchmarkHashPassword/ { printf "\n| Password hashing (Argon2id, account.DefaultHashParams) | this machine |\n| --- | --- |\n| one hash: time, memory allocated | %.2f s, %.0f MiB |\n", $3 / 1e9, $5 / 1048576 }' >>"$section"

if [ "$out" = docs/benchmarks.md ]; then
  # Replace the "## Scale" section (up to the next "## " heading), or append it.
  awk -v section="$section" '
    /^## / { if (skip) skip = 0; if ($0 == "## Scale") { while ((getline l < section) > 0) print l; print ""; skip = 1; done = 1; next } }
    !skip { print }
    END { if (!done) { print ""; while ((getline l < section) > 0) print l } }
  ' "$out" >"$out.new"
  mv "$out.new" "$out"
else
  mkdir -p "$(dirname "$out")"
  cp "$section" "$out"
fi
echo "perf: wrote $out"
