#!/usr/bin/env bash
# `make run`: the simulator hub (every device + the reference backend on loopback), then the kiosk
# in a window. With no display it starts Xvfb itself and says how to take a screenshot.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if [ -z "${DISPLAY:-}" ]; then
  export DISPLAY=:${KIOSK_XVFB_DISPLAY:-77}
  Xvfb "$DISPLAY" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  pids+=($!)
  echo "run: no display; started Xvfb on $DISPLAY (1920x1080)."
  echo "run: take a screenshot with:  DISPLAY=$DISPLAY .venv/bin/python tools/xshot.py shot.png"
fi
export QT_QPA_PLATFORM=xcb

.venv/bin/kiosk-sim all --state var/sim-state.json > var/sim-hub.log 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do
  grep -q '^READY ' var/sim-hub.log 2>/dev/null && break
  if ! kill -0 "${pids[-1]}" 2>/dev/null; then echo "run: kiosk-sim all failed:"; cat var/sim-hub.log; exit 1; fi
  sleep 0.1
done
grep -q '^READY ' var/sim-hub.log || { echo "run: kiosk-sim all did not start; see var/sim-hub.log"; exit 1; }
echo "run: simulators ready: $(grep '^READY ' var/sim-hub.log | cut -c7-)"
echo "run: control API on 127.0.0.1:$(.venv/bin/python -c "import json;print(json.load(open('var/sim-state.json'))['control'])"), e.g."
echo "     curl -X POST 127.0.0.1:7000/idcard/place -d '{\"persona\": \"chen_guiying\"}'"
# The kiosk exits with EXIT_RESTART (kiosk/exit_codes.py) to be started again, as systemd does.
restart=$(.venv/bin/python -c "from kiosk.exit_codes import EXIT_RESTART; print(EXIT_RESTART)")
while :; do
  rc=0; .venv/bin/kiosk --windowed "$@" || rc=$?
  [ "$rc" -eq "$restart" ] || exit "$rc"
  echo "run: the kiosk asked to be restarted (exit $rc); starting it again"
done
