#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (run as root): apt packages, the venv, generated
# development material under var/ (signing key, TLS CA, face-frame cache). Quick when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libpcsclite-dev pcscd vsmartcard-vpcd libpulse0 espeak-ng xvfb libxcb-icccm4
  libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0
  libxcb-xinerama0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 pkg-config swig
  cups libcups2-dev poppler-utils fonts-wqy-microhei
  systemd cage xwayland grim  # for tests/deploy: systemd-analyze verify, the kiosk under cage
  mosquitto chromium chromium-driver)  # the fleet broker; the operations page in headless chromium

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing apt packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: not root; run: sudo apt-get install -y ${missing[*]}" >&2; exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  if ! command -v uv >/dev/null 2>&1; then "$PY" -m pip install -q uv; fi
  uv venv -q --python "$PY" .venv
fi
# Python packages come from uv.lock (`.[sim,dev]`: the kiosk, the simulators and the test tools).
# CI (CI=true) installs exactly the committed lock and fails if pyproject.toml changed without it.
# A developer checkout relocks instead (after a merge or a new dependency) and says so: commit uv.lock.
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ uv.lock -nt "$stamp" ]; then
  if ! command -v uv >/dev/null 2>&1; then "$PY" -m pip install -q uv; fi
  if [ -n "${CI:-}" ]; then
    if ! uv lock --check -q 2>/dev/null; then
      echo "setup: uv.lock does not match pyproject.toml; run \`uv lock\` and commit uv.lock" >&2; exit 1
    fi
  elif ! uv lock --check -q 2>/dev/null; then
    echo "setup: pyproject.toml changed since uv.lock was written; running \`uv lock\` (commit uv.lock)"
    uv lock -q || { echo "setup: uv lock failed (merge conflict in uv.lock? take either side, then run uv lock)" >&2; exit 1; }
  fi
  echo "setup: installing Python packages from uv.lock"
  uv sync -q --frozen --compile-bytecode --python .venv/bin/python --extra sim --extra dev
  touch "$stamp" .venv/.bytecode
fi
# A release installs with `uv pip sync --offline` (an appliance without network; tests/deploy). uv's
# cache then needs the index metadata of the runtime packages, which `uv sync --frozen` (lock URLs)
# never fetches on a fresh machine: resolve the locked runtime set once to fetch it.
if [ ! -f .venv/.offline-index ] || [ uv.lock -nt .venv/.offline-index ]; then
  req=$(mktemp)
  uv export -q --frozen --no-dev --no-emit-project --no-hashes --format requirements-txt -o "$req"
  if uv pip compile -q --python .venv/bin/python "$req" -o /dev/null; then touch .venv/.offline-index
  else echo "setup: could not fetch the package index for offline release installs (no network?)" >&2; fi
  rm -f "$req"
fi
# Bytecode compiled once here, so no start compiles anything (a venv made before this line: once).
if [ ! -f .venv/.bytecode ]; then
  echo "setup: compiling bytecode"
  .venv/bin/python -m compileall -q -j 0 .venv/lib >/dev/null || true
  touch .venv/.bytecode
fi
.venv/bin/python -m compileall -q kiosk simulators >/dev/null || true  # the project's own: quick when current

mkdir -p var var/export  # var/export: technician.export_dir of config/kiosk.toml
if [ ! -f var/.generated ] || [ tools/setup.sh -nt var/.generated ]; then
  .venv/bin/python -c "from pathlib import Path; from kiosk.services.signing import generate_key_file as g; g(Path('var/kiosk.key')) and print('setup: generated var/kiosk.key (development signing key)')"
  if [ -f simulators/backend/pki.py ]; then .venv/bin/python -m simulators.backend.pki var/pki; fi
  .venv/bin/python -m simulators.personas.faces >/dev/null
  touch var/.generated
fi

# The UI translations: assets/i18n/*.ts (committed) → .qm (built, never committed; kiosk/ui/i18n.py).
for ts in assets/i18n/*.ts; do
  qm=${ts%.ts}.qm
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then .venv/bin/pyside6-lrelease -silent "$ts" -qm "$qm"; fi
done
