#!/usr/bin/env bash
# Measures exporting and packaging a batch of 200 applications with three
# 2 MB attachments each (about 1.2 GB): time of each step, peak Go heap,
# package throughput, and OpenSSL's SM3 throughput over the same files.
# Needs about 3 GB free in the temporary folder. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run '^$' -bench 'BenchmarkExportAndPackage200' -benchtime 1x -timeout 30m ./internal/batch | tee "${1:-/dev/stderr}"
