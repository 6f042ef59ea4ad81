#!/usr/bin/env bash
# Runs every test (see Makefile). Fails if any test fails.
#   1. the offscreen tests, in two pytest processes side by side (one per core): the UI and the
#      scenarios in one, everything else in the other. Separate processes, not a scheduler: a test
#      that crashes its process fails that half loudly (its log is printed) and cannot hang the run;
#   2. the PC/SC tests, serially (one pcscd, fixed vpcd port);
#   3. the tests that need a real X server, under Xvfb.
# KIOSK_TEST_SPLIT=0 runs the offscreen tests in one process. Exit status 5 (nothing selected) is no failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTEST=(.venv/bin/python -m pytest -p no:cacheprovider)
status=0
check() {  # check NAME RC
  if [ "$2" -ne 0 ] && [ "$2" -ne 5 ]; then echo "==== $1 FAILED (exit $2)"; status=1; fi
}
run() {  # run NAME CMD...
  local name=$1; shift
  echo "==== $name"
  "$@"; check "$name" $?
}
export QT_QPA_PLATFORM=offscreen
OFFSCREEN=(-m "not xserver and not pcsc")
if [ "${KIOSK_TEST_SPLIT:-1}" = 0 ] || [ "$#" -gt 0 ]; then  # arguments (a file, -k …): one process
  run "offscreen tests" "${PYTEST[@]}" "${OFFSCREEN[@]}" "$@"
else
  logs=$(mktemp -d)
  UI=(tests/ui tests/scenarios)
  "${PYTEST[@]}" "${OFFSCREEN[@]}" "${UI[@]}" > "$logs/ui.log" 2>&1 & ui=$!
  "${PYTEST[@]}" "${OFFSCREEN[@]}" tests $(printf -- '--ignore=%s ' "${UI[@]}") > "$logs/rest.log" 2>&1 & rest=$!
  wait $ui; ui_rc=$?
  wait $rest; rest_rc=$?
  echo "==== offscreen tests: the UI and the scenarios"; cat "$logs/ui.log"; check "offscreen tests (ui, scenarios)" $ui_rc
  echo "==== offscreen tests: everything else"; cat "$logs/rest.log"; check "offscreen tests (the rest)" $rest_rc
  rm -rf "$logs"
fi
run "PC/SC tests (serial, real pcscd)" "${PYTEST[@]}" -m "pcsc" "$@"
QT_QPA_PLATFORM=xcb run "X server tests (Xvfb)" xvfb-run -a -s "-screen 0 1920x1080x24" "${PYTEST[@]}" -m "xserver and not pcsc" "$@"
exit $status
