#!/usr/bin/env bash
# Tests the Windows installer under Wine, as a user without administrator
# rights would run it (docs/windows-installer.md):
#
#   scripts/test-installer.sh PREFIX [INSTALLER]
#
# PREFIX is an initialised Wine prefix (wineboot -i) that nothing else uses
# meanwhile; the test-only bcryptprimitives shim that Go programs need under
# Wine 8 is built into it when missing. INSTALLER defaults to
# build/bin/huicai-amd64-installer.exe (bash scripts/build.sh windows).
#
# Stages, each timed: Windows older than 10 is refused; a silent install puts
# huicai.exe, the uninstaller, the shortcuts and the Add/Remove Programs entry
# in place and `huicai.exe version` runs from the install folder; `serve`
# makes the default data folder %AppData%\huicai; with the app running, the
# installer and the uninstaller refuse (exit code 3) and change nothing; a
# second install upgrades in place (one folder, one entry, one shortcut each);
# a silent uninstall removes program and shortcuts but keeps the data folder
# byte for byte, which a reinstall opens again; a folder with Chinese
# characters and spaces works. The prefix is left as it was found.
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -ge 1 ] || { echo "usage: scripts/test-installer.sh PREFIX [INSTALLER]" >&2; exit 2; }
prefix=$(realpath "$1")
installer=$(realpath "${2:-build/bin/huicai-amd64-installer.exe}")
[ -f "$prefix/system.reg" ] || { echo "$prefix is not an initialised Wine prefix (WINEPREFIX=$prefix wineboot -i)" >&2; exit 2; }
[ -f "$installer" ] || { echo "$installer is missing: bash scripts/build.sh windows" >&2; exit 2; }

wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
export WINEPREFIX=$prefix WINEDEBUG=-all LC_ALL=C.UTF-8 # Chinese paths reach Wine intact
# No menu or desktop entries for this machine from the shortcuts.
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:+$WINEDLLOVERRIDES;}winemenubuilder.exe=d"
unset HUICAI_DATA # the default data folder is under test

product=$(node -p 'require("./wails.json").info.productName')
version=$(node -p 'require("./wails.json").info.productVersion')
user=$("$wine" cmd /c echo %USERNAME% | tr -d '\r')
home="$prefix/drive_c/users/$user"
appdir="$home/AppData/Local/Programs/$product"
datadir="$home/AppData/Roaming/huicai"
links=("$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/$product.lnk" "$home/Desktop/$product.lnk")
uninst_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\huicai'
appdefaults='HKCU\Software\Wine\AppDefaults'
cn_win="C:\\Program Files 程序\\$product"
cn_dir="$prefix/drive_c/Program Files 程序/$product"
work=$(mktemp -d)
serve_pid="" own_data=""

fail() { echo "FAIL: $*" >&2; exit 1; }

# stage ends the running stage, printing its time, and names the next one.
stage_name="" stage_start=$EPOCHREALTIME
stage() {
  [ -z "$stage_name" ] || n=$stage_name a=$stage_start b=$EPOCHREALTIME \
    awk 'BEGIN { printf "  %6.1f s  %s\n", ENVIRON["b"] - ENVIRON["a"], ENVIRON["n"] }'
  stage_name=$1 stage_start=$EPOCHREALTIME
}

# win runs a Windows program in the prefix, stopped if it hangs; its exit
# code is the program's.
win() { timeout --kill-after=10 300 "$wine" "$@"; }

# ensure_shim builds the bcryptprimitives shim into the prefix when missing.
ensure_shim() {
  local dll="$prefix/drive_c/windows/system32/bcryptprimitives.dll"
  [ -f "$dll" ] && return
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$dll" build/windows/wine/bcryptprimitives.c -ladvapi32
}

# run_setup runs a copy of the installer silently and prints its exit code.
# The copy's name tells Wine which Windows version to report (see prepare).
run_setup() {
  local exe=$1 rc=0
  shift
  win "$work/$exe" /S "$@" >/dev/null 2>&1 || rc=$?
  echo "$rc"
}

# uninstall_wait runs an uninstaller silently and waits for its temp copy.
uninstall_wait() {
  win "$1\\uninstall.exe" /S || fail "uninstall.exe /S in $1"
  timeout 300 "$wineserver" -w || fail "Wine processes still running 5 minutes after uninstall.exe"
}

# reg_export prints a registry key as UTF-8 text (reg query would print
# Chinese as "?" through Wine's console code page), or nothing when absent.
reg_export() {
  rm -f "$work/key.reg"
  win reg export "$1" "Z:${work//\//\\}\\key.reg" /y >/dev/null 2>&1 || return 0
  iconv -f UTF-16 -t UTF-8 "$work/key.reg" | tr -d '\r'
}

# reg_value prints one string value of the Add/Remove Programs entry.
reg_value() {
  reg_export "$uninst_key" | sed -n "s/^\"$1\"=\"\(.*\)\"\$/\1/p" | sed 's/\\\\/\\/g'
}

# snapshot prints every file below $1 with its SHA-256, or "absent".
snapshot() {
  [ -d "$1" ] || { echo absent; return; }
  (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# install_state prints everything an install or uninstall may change: the
# program files, the shortcuts named after the product (a duplicate would
# show) and the Add/Remove Programs entry.
install_state() {
  snapshot "$appdir"
  local l
  for l in "${links[@]}"; do find "$(dirname "$l")" -maxdepth 1 -name "*$product*" | sort; done
  reg_export "$uninst_key"
}

# start_serve runs the installed huicai.exe serve and waits until it listens.
start_serve() {
  : >"$work/serve.log"
  "$wine" "$1\\huicai.exe" serve --listen 127.0.0.1:0 >"$work/serve.log" 2>&1 &
  serve_pid=$!
  local tries=0
  until grep -q 惠才通已启动 "$work/serve.log"; do
    kill -0 "$serve_pid" 2>/dev/null || fail "huicai.exe serve ended: $(cat "$work/serve.log")"
    ((++tries < 600)) || fail "huicai.exe serve did not start within 2 minutes: $(cat "$work/serve.log")"
    sleep 0.2
  done
}

stop_serve() {
  [ -n "$serve_pid" ] || return 0
  kill "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=""
}

# link_points_to checks that a shortcut names a folder (UTF-16 in the .lnk).
link_points_to() {
  node -e 'const [f, s] = process.argv.slice(1);
    process.exit(require("fs").readFileSync(f).includes(Buffer.from(s, "utf16le")) ? 0 : 1)' "$1" "$2"
}

check_installed() {
  local dir=$1 windir=$2
  local f
  for f in huicai.exe uninstall.exe; do [ -f "$dir/$f" ] || fail "$f missing in $dir"; done
  local out
  out=$(win "$windir\\huicai.exe" version) || fail "huicai.exe version in $windir: $out"
  echo "    huicai.exe version: $(tr -d '\r' <<<"$out" | head -1)"
  local l
  for l in "${links[@]}"; do
    [ -f "$l" ] || fail "shortcut $l missing"
    link_points_to "$l" "$windir" || fail "shortcut $l does not point into $windir"
  done
  [ "$(reg_value DisplayVersion)" = "$version" ] || fail "DisplayVersion $(reg_value DisplayVersion), want $version (wails.json)"
  [ "$(reg_value InstallLocation)" = "$windir" ] || fail "InstallLocation $(reg_value InstallLocation), want $windir"
}

check_removed() {
  [ ! -e "$1" ] || fail "$1 still there after uninstall: $(ls -A "$1")"
  for l in "${links[@]}"; do [ ! -e "$l" ] || fail "shortcut $l still there after uninstall"; done
  ! win reg query "$uninst_key" >/dev/null 2>&1 || fail "Add/Remove Programs entry still there after uninstall"
}

# cleanup puts the prefix back as it was found.
cleanup() {
  stop_serve
  rm -f "$appdir/huicai.exe" "$appdir/uninstall.exe" "$cn_dir/huicai.exe" "$cn_dir/uninstall.exe" "${links[@]}"
  rmdir "$appdir" "$cn_dir" "$(dirname "$cn_dir")" 2>/dev/null || true
  win reg delete "$uninst_key" /f >/dev/null 2>&1 || true
  win reg delete "$appdefaults\\huicai-setup.exe" /f >/dev/null 2>&1 || true
  win reg delete "$appdefaults\\huicai-setup-win7.exe" /f >/dev/null 2>&1 || true
  if [ -n "$own_data" ]; then
    rm -rf "$datadir"
    [ ! -d "$work/data-before" ] || mv "$work/data-before" "$datadir"
  fi
  [ ! -L "$work/desktop-link" ] || { rmdir "$home/Desktop" && mv "$work/desktop-link" "$home/Desktop"; }
  rm -rf "$work"
}

# prepare copies the installer under two names that Wine reports Windows 10
# and Windows 7 to, moves an existing data folder aside, and gives the prefix
# its own Desktop folder for the test when it links to this machine's $HOME.
prepare() {
  ensure_shim
  if [ -L "$home/Desktop" ]; then
    mv "$home/Desktop" "$work/desktop-link"
    mkdir "$home/Desktop"
  fi
  [ ! -d "$datadir" ] || mv "$datadir" "$work/data-before"
  own_data=1
  cp "$installer" "$work/huicai-setup.exe"
  cp "$installer" "$work/huicai-setup-win7.exe"
  win reg add "$appdefaults\\huicai-setup.exe" /v Version /d win10 /f >/dev/null
  win reg add "$appdefaults\\huicai-setup-win7.exe" /v Version /d win7 /f >/dev/null
}

if win reg query "$uninst_key" >/dev/null 2>&1 || [ -e "$appdir" ] || [ -e "$cn_dir" ]; then
  echo "$product is already installed in $prefix: the test needs a prefix without it" >&2
  exit 2
fi
trap cleanup EXIT
echo "==> installer under Wine: $installer (prefix $prefix)"
stage "prepare (shim, installer copies, Windows version per copy)"
prepare

stage "Windows 7 refused (exit 4), nothing installed"
rc=$(run_setup huicai-setup-win7.exe)
[ "$rc" = 4 ] || fail "installer on Windows 7 exited $rc, want 4"
check_removed "$appdir"

stage "silent install into %LocalAppData%\\Programs\\$product"
appwin="C:\\users\\$user\\AppData\\Local\\Programs\\$product"
rc=$(run_setup huicai-setup.exe)
[ "$rc" = 0 ] || fail "silent install exited $rc"
check_installed "$appdir" "$appwin"

stage "serve makes the default data folder %AppData%\\huicai"
start_serve "$appwin"
stop_serve
for f in huicai.db keys/data.key; do [ -f "$datadir/$f" ] || fail "no $f in $datadir: $(cat "$work/serve.log")"; done
echo "kept across uninstall" >"$datadir/installer-test-marker.txt"

stage "app running: install and uninstall refuse (exit 3), nothing changes"
state_before=$(install_state)
start_serve "$appwin"
rc=$(run_setup huicai-setup.exe)
[ "$rc" = 3 ] || fail "install over the running app exited $rc, want 3"
rc=0
win "$appwin\\uninstall.exe" /S "_?=$appwin" || rc=$?
[ "$rc" = 3 ] || fail "uninstall of the running app exited $rc, want 3"
stop_serve
[ "$(install_state)" = "$state_before" ] || fail "a refused install or uninstall changed the installation"
data_before=$(snapshot "$datadir") # from here on no huicai.exe runs until the data is checked

stage "second install upgrades in place"
echo "an older huicai.exe" >"$appdir/huicai.exe"
rc=$(run_setup huicai-setup.exe)
[ "$rc" = 0 ] || fail "second install exited $rc"
[ "$(install_state)" = "$state_before" ] || fail "upgrade in place did not give the same installation (files, shortcuts, entry)"
n=$(reg_export "${uninst_key%\\*}" | grep -c "^\"DisplayName\"=\"$product\"\$" || true)
[ "$n" = 1 ] || fail "$n Add/Remove Programs entries for $product, want 1"

stage "silent uninstall keeps the data folder"
uninstall_wait "$appwin"
check_removed "$appdir"
[ "$(snapshot "$datadir")" = "$data_before" ] || fail "uninstall changed the data folder"

stage "reinstall opens the kept data"
rc=$(run_setup huicai-setup.exe)
[ "$rc" = 0 ] || fail "reinstall exited $rc"
check_installed "$appdir" "$appwin"
[ "$(snapshot "$datadir")" = "$data_before" ] || fail "reinstall changed the data folder"
out=$(win "$appwin\\huicai.exe" audit verify 2>&1) || fail "huicai.exe audit verify on the kept data: $out"
data_before=$(snapshot "$datadir") # huicai.exe ran again

stage "install into '$cn_win' moves the program there"
# NSIS takes /D= only last and unquoted, and Wine quotes an argument with
# spaces: passed as words, Wine joins them with single spaces again.
read -ra d_words <<<"/D=$cn_win"
rc=$(run_setup huicai-setup.exe "${d_words[@]}")
[ "$rc" = 0 ] || fail "install into $cn_win exited $rc"
check_installed "$cn_dir" "$cn_win"
[ ! -e "$appdir" ] || fail "the earlier install in $appdir is still there after moving"

stage "silent uninstall from '$cn_win'"
uninstall_wait "$cn_win"
check_removed "$cn_dir"
[ "$(snapshot "$datadir")" = "$data_before" ] || fail "uninstall changed the data folder"
stage ""
echo "installer OK"
