#!/usr/bin/env bash
# The Windows lane: runs the Windows build under Wine (Debian's wine64).
#   scripts/windows-lane.sh          CI: e2e/tests/windows.test.mjs, a pass over every area plus the Windows-only checks
#   scripts/windows-lane.sh --full   every e2e file under Wine (make test-windows)
# It expects build/bin/huicai.exe (scripts/build.sh windows), wine64 and
# x86_64-w64-mingw32-gcc (scripts/setup.sh), and root or sudo without a
# password (to run Wine as a second user). Work files go to test-output/wine/
# (HUICAI_WINE_LANE=DIR: DIR instead), screenshots beside it, to
# test-output/screenshots/windows/; HUICAI_WINDOWS_EXE names another huicai.exe to test.
#
# Stages run in the order of the stages array, each a function stage_<name>;
# the first that fails stops the lane and is named. To add one (e.g. the
# installer): write stage_<name> — wine_run runs a Windows program in $prefix
# with a time-out, $exe is the huicai.exe under test, $lane a work folder —
# and add <name> to stages. Every Wine process is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=(lint shim prefix version installer go_tests e2e)

mode=ci
case "${1:-}" in
  "") ;;
  --full) mode=full ;;
  *) echo "usage: scripts/windows-lane.sh [--full]" >&2; exit 2 ;;
esac

lane=$(realpath -m "${HUICAI_WINE_LANE:-test-output/wine}")
prefix=$lane/prefix
exe=$(realpath -m "${HUICAI_WINDOWS_EXE:-build/bin/huicai.exe}")
shim=$lane/bcryptprimitives.dll
shots=$(dirname "$lane")/screenshots/windows
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver64)
# The second Windows user: the Unix user nobody, with a home (and Wine
# prefix) of its own under /tmp, made afresh by stage_prefix.
other_user=nobody
other_group=$(id -gn "$other_user")
other_home=""
stage=""

# No window, no Mono or Gecko prompts, no Wine chatter; no HUICAI_DATA (the
# tests need huicai.exe's default data folder).
wine_env=(WINEDEBUG=-all "WINEDLLOVERRIDES=mscoree,mshtml=")
export "${wine_env[@]}"
unset DISPLAY WAYLAND_DISPLAY HUICAI_DATA

fail() {
  printf 'Windows lane: %s\n' "$*" >&2
  exit 1
}

# wine_run SECONDS PROGRAM [ARGS…]: a Windows program in $prefix, stopped after SECONDS.
wine_run() {
  local secs=$1
  shift
  WINEPREFIX=$prefix timeout --kill-after=10 "$secs" "$wine" "$@"
}

# other_user_cmd: the command prefix that runs a program as the second
# user, in its home, with its Wine prefix (into the array runas).
other_user_cmd() {
  runas=()
  [ "$(id -u)" -eq 0 ] || runas=(sudo -n)
  runas+=(setpriv --reuid="$other_user" --regid="$other_group" --clear-groups
    env -C "$other_home" HOME="$other_home" WINEPREFIX="$other_home/prefix" "${wine_env[@]}")
}

# init_prefix DIR RUNNER…: makes the Wine prefix DIR (wineboot) as RUNNER,
# with the shim in its system32. A prefix made earlier is kept.
init_prefix() {
  local dir=$1
  shift
  [ -f "$dir/.huicai-lane-ready" ] && return 0
  "$@" env WINEPREFIX="$dir" timeout --kill-after=10 300 "$wine" wineboot -i >/dev/null 2>&1 ||
    fail "wineboot could not make the Wine prefix $dir"
  "$@" env WINEPREFIX="$dir" timeout 120 "$wineserver" -w || true # let wineboot's services settle
  "$@" cp "$(dirname "$dir")/bcryptprimitives.dll" "$dir/drive_c/windows/system32/"
  "$@" touch "$dir/.huicai-lane-ready"
}

# stage_lint: golangci-lint (its standard set includes go vet) over the
# Windows build, whose *_windows.go files the Linux lint never compiles.
stage_lint() {
  GOOS=windows "$(go tool -modfile=build/golangci-lint.mod -n golangci-lint)" run --timeout 10m ./...
}

# stage_shim: builds the test-only bcryptprimitives.dll (see its source),
# which Go programs need under Wine 8.
stage_shim() {
  command -v x86_64-w64-mingw32-gcc >/dev/null || fail "x86_64-w64-mingw32-gcc is missing: run scripts/setup.sh"
  [ -x "$wine" ] || fail "wine64 is missing: run scripts/setup.sh"
  [ -f "$exe" ] || fail "$exe is missing: run scripts/build.sh windows"
  mkdir -p "$lane"
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$shim" build/windows/wine/bcryptprimitives.c -ladvapi32
}

# stage_prefix: this user's Wine prefix, and the second user's.
stage_prefix() {
  init_prefix "$prefix" env
  other_home=$(mktemp -d /tmp/huicai-wine-other.XXXXXX)
  chmod 755 "$other_home"
  cp "$exe" "$shim" "$other_home/"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
  "${sudo[@]}" chown -R "$other_user:$other_group" "$other_home" ||
    fail "the second Windows user needs root or sudo without a password (Wine runs as $other_user)"
  other_user_cmd
  init_prefix "$other_home/prefix" "${runas[@]}"
}

# stage_version: huicai.exe starts and names its version, commit and schema.
stage_version() {
  local out
  out=$(wine_run 120 "$exe" version 2>&1) || fail "huicai.exe version failed: $out"
  printf '%s\n' "$out"
  grep -q '^schema [0-9]' <<<"$out" || fail "huicai.exe version printed no schema line"
}

# stage_installer: the installer, silently under Wine, in a prefix of its
# own: install, upgrade, refusals while the app runs, uninstall keeping the
# data folder (scripts/test-installer.sh, docs/windows-installer.md).
stage_installer() {
  local dir=$lane/installer-prefix
  init_prefix "$dir" env
  bash scripts/test-installer.sh "$dir" "$(dirname "$exe")/huicai-amd64-installer.exe"
  WINEPREFIX=$dir timeout 30 "$wineserver" -k 2>/dev/null || true
}

# stage_go_tests: the Windows-only Go tests (the Test functions in
# *_windows_test.go files), cross-compiled and run under Wine.
stage_go_tests() {
  local dir names bin
  mkdir -p "$lane/tests"
  for dir in $(find app internal -name '*_windows_test.go' -printf '%h\n' | sort -u); do
    names=$(sed -n 's/^func \(Test[A-Za-z0-9_]*\)(t \*testing\.T).*/\1/p' "$dir"/*_windows_test.go | paste -sd'|')
    [ -n "$names" ] || continue
    bin=$lane/tests/${dir//\//-}.test.exe
    GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$bin" "./$dir"
    echo "--- $dir: $names"
    (cd "$dir" && wine_run 300 "$bin" -test.run "^($names)\$" -test.v -test.timeout 4m) ||
      fail "Windows-only Go tests failed in $dir"
  done
}

# write_wrapper FILE COMMAND…: a script that runs COMMAND with its own
# arguments, absolute Linux paths among them turned into Z: paths.
write_wrapper() {
  local file=$1
  shift
  cat >"$file" <<'EOF'
#!/usr/bin/env bash
# huicai.exe under Wine, written by scripts/windows-lane.sh.
args=()
for a in "$@"; do [[ $a == /* ]] && a="Z:${a//\//\\}"; args+=("$a"); done
EOF
  # shellcheck disable=SC2016 # "${args[@]}" is for the wrapper to expand
  printf 'exec%s "${args[@]}"\n' "$(printf ' %q' "$@")" >>"$file"
  chmod 755 "$file"
}

# stage_e2e: end-to-end tests against huicai.exe serve under Wine.
stage_e2e() {
  mkdir -p "$lane/bin" "$shots"
  write_wrapper "$lane/bin/huicai" env WINEPREFIX="$prefix" "${wine_env[@]}" "$wine" "$exe"
  other_user_cmd
  write_wrapper "$lane/bin/huicai-other-user" "${runas[@]}" "$wine" "$other_home/huicai.exe"
  local files=(tests/windows.test.mjs) concurrency=1
  if [ "$mode" = full ]; then
    mapfile -t files < <(cd e2e && ls tests/*.test.mjs)
    concurrency=2
  fi
  (cd e2e && HUICAI_BIN="$lane/bin/huicai" HUICAI_WINE_PREFIX="$prefix" \
    HUICAI_BIN_OTHER_USER="$lane/bin/huicai-other-user" HUICAI_WINE_OTHER_HOME="$other_home" \
    HUICAI_WINE_OTHER_OWNER="$other_user:$other_group" E2E_SCREENSHOTS="$shots" \
    timeout --kill-after=30 30m node --test --test-concurrency="$concurrency" "${files[@]}") ||
    fail "end-to-end tests under Wine failed (screenshots in $shots)"
}

# finish: names a failed stage, stops every Wine process of both prefixes
# and removes the second user's home.
finish() {
  local status=$?
  [ "$status" -eq 0 ] || printf 'Windows lane: stage %s failed\n' "$stage" >&2
  WINEPREFIX=$prefix timeout 30 "$wineserver" -k 2>/dev/null || true
  if [ -n "$other_home" ]; then
    other_user_cmd
    "${runas[@]}" timeout 30 "$wineserver" -k 2>/dev/null || true
    rm -rf "$other_home" 2>/dev/null || sudo -n rm -rf "$other_home" || true
  fi
  exit "$status"
}

trap finish EXIT
for stage in "${stages[@]}"; do
  printf '\n--> Windows lane: %s\n' "$stage"
  start=$SECONDS
  "stage_$stage"
  printf -- '--> %s: %d s\n' "$stage" $((SECONDS - start))
done
