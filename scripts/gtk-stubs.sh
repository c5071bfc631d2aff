#!/usr/bin/env bash
# Writes internal/gtkstub/stubs_linux_amd64.c: the GTK and WebKit functions
# the desktop window calls, found in a build linked against the libraries.
# Run it after upgrading Wails, when the release build (scripts/build.sh,
# build tag lazygtk) stops with "undefined reference" to one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
linked=$(mktemp)
trap 'rm -f "$linked"' EXIT
go build -tags desktop,production,webkit2_41 -o "$linked" .
libc=$(ldd "$linked" | awk '$1 ~ /^libc\.so/ { print $3 }')
# The functions the binary imports that libc does not define.
readelf --dyn-syms -W "$linked" | awk '$7 == "UND" && $4 == "FUNC" { sub(/@.*/, "", $8); print $8 }' | sort -u |
  comm -23 - <(nm -D --defined-only "$libc" | awk '{ sub(/@.*/, "", $3); print $3 }' | sort -u) |
  go run ./internal/gtkstub/gen >internal/gtkstub/stubs_linux_amd64.c
echo "gtk-stubs: $(grep -o 'huicai_gtk_count = [0-9]*' internal/gtkstub/stubs_linux_amd64.c)"
