# Shortcuts; scripts/ holds the real steps.
.PHONY: setup run test test-windows lint build windows smoke

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# Every e2e file against huicai.exe under Wine (CI runs a subset: scripts/test.sh).
test-windows: windows
	bash scripts/windows-lane.sh --full

lint:
	npm --prefix frontend run build --silent >/dev/null
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...
	go tool -modfile=build/golangci-lint.mod golangci-lint run --timeout 10m ./...
	npm --prefix frontend run typecheck --silent
	npm --prefix frontend run lint --silent

build:
	bash scripts/build.sh linux

windows:
	bash scripts/build.sh windows

smoke: build
	bash scripts/desktop-smoke.sh
