#!/usr/bin/env bash
# Runs every test: three pytest processes (see Makefile). Fails if any test fails.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/python -m pytest -p no:cacheprovider)
status=0
run() {  # run NAME CMD...; treats "no tests collected" (5) as success
  local name=$1; shift
  echo "==== $name"
  "$@"; local rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 5 ]; then echo "==== $name FAILED (exit $rc)"; status=1; fi
}
export QT_QPA_PLATFORM=offscreen
# The offscreen tests on one worker per core (pytest-xdist); a file's tests stay on one worker, so
# its module fixtures and its order hold. KIOSK_TEST_WORKERS=0 runs them in this process.
WORKERS=${KIOSK_TEST_WORKERS:-$(nproc)}
PARALLEL=()
if [ "$WORKERS" != 0 ]; then PARALLEL=(-n "$WORKERS" --dist loadfile); fi
run "offscreen tests" "${PYTEST[@]}" "${PARALLEL[@]}" -m "not xserver and not pcsc" "$@"
run "PC/SC tests (serial, real pcscd)" "${PYTEST[@]}" -m "pcsc" "$@"
QT_QPA_PLATFORM=xcb run "X server tests (Xvfb)" xvfb-run -a -s "-screen 0 1920x1080x24" "${PYTEST[@]}" -m "xserver and not pcsc" "$@"
exit $status
