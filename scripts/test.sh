#!/usr/bin/env bash
# Installs what is needed and runs every test: formatting and vet, Go tests
# with the race detector on real SQLite (and again on two other days: no test
# may expire), the frontend's type check, lint and unit tests, end-to-end
# tests in Chromium against "huicai serve" (the date-dependent ones also on a
# day years ahead, with the -tags testclock build), the desktop smoke test
# under Xvfb, the Windows cross-build and the Windows lane (huicai.exe under
# Wine: scripts/windows-lane.sh); then prints the security summary
# (test-output/security/summary.txt).
# Screenshots land in test-output/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=test-output
rm -rf "$out" && mkdir -p "$out/screenshots"

step() { printf '\n==> %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "frontend: build, type check, lint, unit tests"
npm --prefix frontend run build --silent >/dev/null
npm --prefix frontend run typecheck --silent
npm --prefix frontend run lint --silent
npm --prefix frontend test --silent

step "gofmt, go vet and golangci-lint (.golangci.yml)"
unformatted=$(gofmt -l $(git ls-files '*.go') $(git ls-files --others --exclude-standard '*.go'))
[ -z "$unformatted" ] || { echo "gofmt needed: $unformatted" >&2; exit 1; }
go vet ./...
go tool -modfile=build/golangci-lint.mod golangci-lint run --timeout 10m ./...

step "go test -race"
# The security tests (role × route matrix, IDOR, races, tampered packages …)
# write their figures here; the summary at the end reads them.
export HUICAI_SECURITY_SUMMARY="$PWD/$out/security"
go test -race -count=1 ./...

step "go test on other days: the clock at 2031-06-01 and at 2025-01-01 (HUICAI_TEST_NOW), so that no test expires"
for day in 2031-06-01 2025-01-01; do
  HUICAI_TEST_NOW=$day HUICAI_SECURITY_SUMMARY= go test -short -count=1 ./...
done

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

step "performance suite, short: 1k talents seeded and measured through huicai serve (test-output/perf.md; the full run: scripts/perf.sh)"
bash scripts/perf.sh --short

# The file whose tests depend on today (card validity, change dates) runs on
# the test build, years ahead, in the next step instead: the same code but for
# the clock, and the time of the whole run stays as it was. The Windows file
# runs in the Windows lane.
dated=tests/change.test.mjs
windows=tests/windows.test.mjs

step "end-to-end tests (Chromium, huicai serve)"
(cd e2e && HUICAI_BIN="$PWD/../build/bin/huicai" E2E_SCREENSHOTS="$PWD/../$out/screenshots/e2e" \
  node --test --test-concurrency=1 $(ls tests/*.test.mjs | grep -vxF -e "$dated" -e "$windows"))

step "end-to-end tests that depend on today, against the test build (-tags testclock) on 2031-06-01"
! grep -qa HUICAI_FAKE_TODAY build/bin/huicai || { echo "the release build carries the test clock" >&2; exit 1; }
go build -tags 'webkit2_41 testclock' -o build/bin/huicai-testclock .
(cd e2e && HUICAI_BIN="$PWD/../build/bin/huicai-testclock" HUICAI_FAKE_TODAY=2031-06-01 \
  E2E_SCREENSHOTS="$PWD/../$out/screenshots/e2e-2031" node --test "$dated")

step "desktop smoke test (Xvfb)"
bash scripts/desktop-smoke.sh build/bin/huicai "$out/screenshots/desktop"

step "Windows cross-build"
bash scripts/build.sh windows
ls -l build/bin/huicai.exe build/bin/huicai-amd64-installer.exe

step "Windows lane: huicai.exe under Wine (the full e2e suite there: make test-windows)"
bash scripts/windows-lane.sh

step "security summary (also in $out/security/summary.txt)"
node scripts/security-summary.mjs "$out/security"

step "all tests passed; screenshots in $out/screenshots"
