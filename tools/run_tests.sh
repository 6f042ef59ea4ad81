#!/usr/bin/env bash
# Runs every test (see Makefile). Fails if any test fails.
#   1. the offscreen tests, in two pytest processes side by side (one per core): the UI and the
#      scenarios in one, everything else in the other. Separate processes, not a scheduler: a test
#      that crashes its process cannot hang the run; its report is printed at the end, and the half's
#      unfinished tests run once more (after_crash, README "Tests");
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
# after_crash HALF RC ARGS...: prints the exit status that counts for a half. A half that died of a
# signal (a crash in Qt, exit >= 128) has its faulthandler report kept for the end of the run, and the
# tests it had not finished, the crashed one first, run once more in a fresh process: they must pass
# there. A failure before the crash still fails the half. Every crash stays in the output.
after_crash() {
  local half=$1 rc=$2; shift 2
  if [ "$rc" -lt 128 ]; then echo "$rc"; return; fi
  # faulthandler's report: the crashed test's line, then the crashing thread's stack (tests/conftest.py;
  # pytest's own frames left out)
  grep -A 80 "Fatal Python error" "$logs/$half.log" | grep -vE "site-packages/(_pytest|pluggy)/" | head -60 \
    > "$logs/$half.crash"
  [ -s "$logs/$half.crash" ] || echo "(no faulthandler report; exit $rc)" > "$logs/$half.crash"
  # -v lines: "tests/ui/test_x.py::test_y[an id, with spaces] PASSED   [ 42%]"
  local verdict='^(tests/.*) (PASSED|SKIPPED|XFAIL|XPASS|FAILED|ERROR) +\[ *[0-9]+%\]$'
  if sed -nE "s#$verdict#\2#p" "$logs/$half.log" | grep -qE 'FAILED|ERROR'; then echo "$rc"; return; fi
  # The ones it had not finished, by node id (not --deselect: that matches prefixes, test_a hides test_ab).
  sed -nE "s#$verdict#\1#p" "$logs/$half.log" > "$logs/$half.finished"
  local rest=()
  mapfile -t rest < <("${PYTEST[@]}" "${OFFSCREEN[@]}" "$@" --collect-only -q 2>/dev/null | grep '::' |
                      grep -Fxv -f "$logs/$half.finished")
  if [ "${#rest[@]}" -eq 0 ]; then  # every test had finished: it crashed on the way out
    echo "==== $half half CRASHED (exit $rc) after its last test" >&2; echo 0; return
  fi
  {
    echo "==== $half half CRASHED (exit $rc) after $(wc -l < "$logs/$half.finished") tests; the ${#rest[@]} left run again once"
    "${PYTEST[@]}" "${OFFSCREEN[@]}" "${rest[@]}"
  } > "$logs/$half.rerun" 2>&1
  rc=$?
  cat "$logs/$half.rerun" >&2
  echo "$rc"
}
export QT_QPA_PLATFORM=offscreen
OFFSCREEN=(-m "not xserver and not pcsc")
if [ "${KIOSK_TEST_SPLIT:-1}" = 0 ] || [ "$#" -gt 0 ]; then  # arguments (a file, -k …): one process
  run "offscreen tests" "${PYTEST[@]}" "${OFFSCREEN[@]}" "$@"
else
  logs=$(mktemp -d)
  UI=(tests/ui tests/scenarios)
  "${PYTEST[@]}" "${OFFSCREEN[@]}" -v "${UI[@]}" > "$logs/ui.log" 2>&1 & ui=$!
  "${PYTEST[@]}" "${OFFSCREEN[@]}" -v tests $(printf -- '--ignore=%s ' "${UI[@]}") > "$logs/rest.log" 2>&1 & rest=$!
  wait $ui; ui_rc=$?
  wait $rest; rest_rc=$?
  echo "==== offscreen tests: the UI and the scenarios"; cat "$logs/ui.log"
  ui_rc=$(after_crash ui $ui_rc "${UI[@]}"); check "offscreen tests (ui, scenarios)" $ui_rc
  echo "==== offscreen tests: everything else"; cat "$logs/rest.log"
  rest_rc=$(after_crash rest $rest_rc tests $(printf -- '--ignore=%s ' "${UI[@]}")); check "offscreen tests (the rest)" $rest_rc
fi
run "PC/SC tests (serial, real pcscd)" "${PYTEST[@]}" -m "pcsc" "$@"
QT_QPA_PLATFORM=xcb run "X server tests (Xvfb)" xvfb-run -a -s "-screen 0 1920x1080x24" "${PYTEST[@]}" -m "xserver and not pcsc" "$@"
# Crashes again at the very end, where a shortened log still shows them (a crash whose rerun passed
# does not fail the run, but it is a defect to find: README "Tests").
for crash in "${logs:-/nonexistent}"/*.crash; do
  [ -e "$crash" ] || continue
  echo "==== $(basename "$crash" .crash) half crashed; faulthandler's report:"
  cat "$crash"
done
[ -n "${logs:-}" ] && rm -rf "$logs"
exit $status
