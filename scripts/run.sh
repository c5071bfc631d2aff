#!/usr/bin/env bash
# Installs what is needed, builds 惠才通 and starts it: the desktop window
# where there is a display, otherwise "huicai serve" with its URL printed.
# Extra arguments go to huicai (e.g. --data DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh linux
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/bin/huicai "$@"
fi
echo "没有图形界面，以浏览器模式启动；在本机浏览器中打开下面的地址。"
exec build/bin/huicai serve "$@"
