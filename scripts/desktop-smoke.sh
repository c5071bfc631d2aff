#!/usr/bin/env bash
# Desktop smoke test: starts the real Linux desktop binary under Xvfb on a
# temporary data folder (set up through "huicai serve" first, which must not
# load GTK or WebKit), proves the window loaded the frontend and reached the
# API through the in-process bridge (the backend logs each API call), signs
# in by typing into the window, and saves screenshots.
#   scripts/desktop-smoke.sh [BINARY] [SCREENSHOT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/bin/huicai}")
shots=$(mkdir -p "${2:-test-output/screenshots/desktop}" && realpath "${2:-test-output/screenshots/desktop}")
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

fail() { echo "desktop smoke: FAIL: $*" >&2; [ -f "$data/huicai.log" ] && tail -n 20 "$data/huicai.log" >&2; exit 1; }

# 1. First-run setup through the LAN server, so that the window opens on the login page.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --listen "127.0.0.1:$port" --data "$data" >"$data/serve.out" 2>&1 &
serve=$!
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/api/setup" >/dev/null 2>&1 && break; sleep 0.2; done
# The release build loads GTK and WebKit only for the window (internal/gtkstub).
if grep -qE 'libgtk-3|libwebkit2gtk' "/proc/$serve/maps"; then fail "huicai serve loaded GTK or WebKit"; fi
# A fresh server prints the one-time setup token that setup over HTTP asks for.
token=$(sed -n 's/^初始设置口令：\([^ ]*\).*/\1/p' "$data/serve.out" | head -n 1)
[ -n "$token" ] || fail "serve printed no setup token"
curl -fsS -X POST "http://127.0.0.1:$port/api/setup" -H 'Content-Type: application/json' -d '{"setup_token":"'"$token"'",
  "unit_name":"山东大学","uscc":"12370000495570512F","address":"济南市历城区山大南路27号",
  "contact_person":"张三","contact_phone":"0531-88364000","leader_name":"李四","mobile":"13800138000",
  "username":"leader","password":"Leader@2026","password_confirm":"Leader@2026"}' >/dev/null || fail "setup through serve"
kill "$serve"; wait "$serve" 2>/dev/null || true

# 2. The desktop window, on a virtual display.
export HUICAI_BIN="$bin" HUICAI_DATA="$data" SHOTS="$shots"
xvfb-run -a -s "-screen 0 1366x900x24" bash -euo pipefail -c '
  "$HUICAI_BIN" >"$HUICAI_DATA/desktop.out" 2>&1 &
  app=$!
  trap "kill $app 2>/dev/null || true" EXIT
  waitlog() { for _ in $(seq 150); do grep -q "$1" "$HUICAI_DATA/huicai.log" 2>/dev/null && return 0; sleep 0.2; done; return 1; }
  waitlog "desktop: window started" || { echo "window did not start"; exit 1; }
  waitlog "path=/api/setup status=200 client=本机" || { echo "the window never reached the API"; exit 1; }
  win=$(xdotool search --sync --name "^惠才通$" | head -n 1)
  [ -n "$win" ] || { echo "no window titled 惠才通"; exit 1; }
  sleep 1
  import -window root "$SHOTS/desktop-01-login.png"
  # Sign in through the window: the bridge carries the POST body in-process.
  xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus --sync "$win"
  eval "$(xdotool getwindowgeometry --shell "$win")"
  xdotool mousemove --window "$win" $((WIDTH / 2)) $((HEIGHT / 2 - 20)) click 1
  sleep 0.3
  xdotool type --delay 30 "leader"
  xdotool key Tab
  xdotool type --delay 30 "Leader@2026"
  xdotool key Return
  waitlog "path=/api/session status=200 client=本机" || { echo "sign-in through the window failed"; exit 1; }
  sleep 1.5
  import -window root "$SHOTS/desktop-02-home.png"
' || fail "$(tail -n 1 "$data/desktop.out" 2>/dev/null)"

# 3. A missing data key: the window says so and offers the recovery key, instead of vanishing.
mv "$data/keys/data.key" "$data/keys/data.key.away"
xvfb-run -a -s "-screen 0 1366x900x24" bash -euo pipefail -c '
  "$HUICAI_BIN" >"$HUICAI_DATA/failure.out" 2>&1 &
  app=$!
  trap "kill $app 2>/dev/null || true" EXIT
  for _ in $(seq 150); do grep -q "startup failure page shown" "$HUICAI_DATA/failure.out" && break; sleep 0.2; done
  grep -q "startup failure page shown\\\" key_recovery=true" "$HUICAI_DATA/failure.out" || { echo "no failure page"; exit 1; }
  sleep 1.5
  import -window root "$SHOTS/desktop-03-key-missing.png"
' || fail "$(tail -n 3 "$data/failure.out" 2>/dev/null)"
mv "$data/keys/data.key.away" "$data/keys/data.key"

calls=$(grep -c 'msg="api call"' "$data/huicai.log")
echo "desktop smoke: ok — window titled 惠才通 loaded the frontend, $calls API calls through the bridge, signed in; a missing data key shows the repair page; screenshots in $shots"
