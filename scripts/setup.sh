#!/usr/bin/env bash
# Installs everything 惠才通 needs to build, run and test on Debian 12 /
# Ubuntu: system packages, the frontend's and e2e tests' npm packages and
# the Go modules (the wails CLI is a Go tool of this module). Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config            # cgo for the desktop build and go test -race
  libgtk-3-dev libwebkit2gtk-4.1-dev    # Wails on Linux (-tags webkit2_41)
  chromium                              # end-to-end tests (driven by playwright-core)
  xvfb xauth x11-utils xdotool imagemagick  # desktop smoke test: virtual display, window check, screenshot
  nsis                                  # Windows installer
  wine64 gcc-mingw-w64-x86-64           # Windows lane: huicai.exe under Wine, and its test-only shim DLL
  fonts-wqy-microhei                    # CJK glyphs in screenshots
  poppler-utils                         # pdftoppm, to look at exported PDFs
  openssl curl ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "==> apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v go >/dev/null || { echo "Go 1.26 is required (https://go.dev/dl/)" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20 and npm are required" >&2; exit 1; }

echo "==> npm ci (frontend, e2e)"
(cd frontend && npm ci --no-audit --no-fund --loglevel=error)
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)

echo "==> go mod download (the app, and the golangci-lint tool's own module file)"
go mod download
go mod download -modfile=build/golangci-lint.mod
