#!/usr/bin/env bash
# Installs what is needed and runs every test: formatting and vet, Go tests
# with the race detector on real SQLite, the frontend's type check and unit
# tests, end-to-end tests in Chromium against "huicai serve", the desktop
# smoke test under Xvfb, and the Windows cross-build; then prints the
# security summary (test-output/security/summary.txt).
# Screenshots land in test-output/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=test-output
rm -rf "$out" && mkdir -p "$out/screenshots"

step() { printf '\n==> %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "frontend: build, type check, unit tests"
npm --prefix frontend run build --silent >/dev/null
npm --prefix frontend run typecheck --silent
npm --prefix frontend test --silent

step "gofmt and go vet"
unformatted=$(gofmt -l $(git ls-files '*.go') $(git ls-files --others --exclude-standard '*.go'))
[ -z "$unformatted" ] || { echo "gofmt needed: $unformatted" >&2; exit 1; }
go vet ./...

step "go test -race"
# The security tests (role × route matrix, IDOR, races, tampered packages …)
# write their figures here; the summary at the end reads them.
export HUICAI_SECURITY_SUMMARY="$PWD/$out/security"
go test -race -count=1 ./...

step "memory under a registration burst (without the race detector, whose shadow memory would swamp the figure)"
go test -count=1 -run '^TestRegistrationBurst$' ./app/

step "fuzzing (briefly)"
for target in "FuzzUSCC ./internal/validate" "FuzzResidentID ./internal/validate" "FuzzPut ./internal/files" \
  "FuzzVerify ./internal/pack" "FuzzReadReceipt ./internal/pack"; do
  set -- $target
  go test -run '^$' -fuzz "^$1\$" -fuzztime "${FUZZTIME:-10s}" "$2"
done

step "Linux desktop build"
bash scripts/build.sh linux

step "end-to-end tests (Chromium, huicai serve)"
(cd e2e && HUICAI_BIN="$PWD/../build/bin/huicai" E2E_SCREENSHOTS="$PWD/../$out/screenshots/e2e" npm test --silent)

step "desktop smoke test (Xvfb)"
bash scripts/desktop-smoke.sh build/bin/huicai "$out/screenshots/desktop"

step "Windows cross-build"
bash scripts/build.sh windows
ls -l build/bin/huicai.exe build/bin/huicai-amd64-installer.exe

step "security summary (also in $out/security/summary.txt)"
node scripts/security-summary.mjs "$out/security"

step "all tests passed; screenshots in $out/screenshots"
