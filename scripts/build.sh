#!/usr/bin/env bash
# Builds the frontend and the binaries into build/bin:
#   scripts/build.sh            Linux desktop binary (also runs "serve"; needs
#                               WebKitGTK only when the window opens)
#   scripts/build.sh windows    Windows exe and, when makensis is present, the installer
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
ldflags="-X huicai/app.Version=${version} -X huicai/app.commit=${commit}"

npm --prefix frontend run build --silent >/dev/null

case "${1:-linux}" in
  linux)
    # GTK and WebKit are compiled against but not linked: internal/gtkstub
    # loads them when the window opens, so "huicai serve" and the command-line
    # tools start without them.
    PKG_CONFIG="$PWD/build/pkg-config-cflags-only" go tool -modfile=build/wails-tool.mod wails build -m -s -skipbindings \
      -trimpath -tags webkit2_41,lazygtk -ldflags "$ldflags"
    ;;
  windows)
    installer=()
    command -v makensis >/dev/null && installer=(-nsis)
    go tool -modfile=build/wails-tool.mod wails build -m -s -skipbindings -trimpath -platform windows/amd64 "${installer[@]}" -ldflags "$ldflags"
    ;;
  *)
    echo "usage: scripts/build.sh [linux|windows]" >&2
    exit 2
    ;;
esac
