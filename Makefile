# The two commands: `make run` and `make test`. Both do any missing set-up first (tools/setup.sh).
SHELL := /bin/bash
PY := .venv/bin/python

I18N_SOURCES = $(shell find kiosk/ui -name '*.py' | sort) kiosk/services/messages.py

.PHONY: i18n setup run test test-offscreen test-pcsc test-xserver screenshots lint bench clean

setup:
	@bash tools/setup.sh

run: setup
	@bash tools/run_kiosk.sh

# The whole suite: offscreen, then PC/SC tests serially (one pcscd, fixed vpcd port), then the
# tests that need a real X server under Xvfb. Exit status 5 (nothing selected) is not a failure.
# Only the tests skip writing bytecode (parallel worktrees, read-only checkouts); everything else
# uses the .pyc compiled at set-up (a kiosk start then compiles nothing; docs/performance.md).
test: export PYTHONDONTWRITEBYTECODE := 1
test: setup
	@bash tools/run_tests.sh

screenshots: setup
	@QT_QPA_PLATFORM=xcb flock /tmp/pcsc.lock xvfb-run -a -s "-screen 0 1920x1920x24" $(PY) tools/screenshots.py screenshots/
	@$(PY) tools/a4_pages.py screenshots/a4
	@echo "screenshots written to screenshots/"

# Re-extract the translatable strings into the .ts files (then translate the new entries and commit
# them; tests/ui/test_languages.py fails on any string without a translation). make setup builds .qm.
i18n: setup
	@.venv/bin/pyside6-lupdate $(I18N_SOURCES) -no-obsolete -locations none -ts assets/i18n/kiosk_zh_HK.ts assets/i18n/kiosk_en.ts
	@bash tools/setup.sh

lint: setup
	@.venv/bin/ruff check kiosk simulators tests bench tools deploy
	@.venv/bin/lint-imports

# Every figure with its goal (docs/performance.md). The soak's real figure is 2,000 sessions (~2 h
# here); `make bench SOAK_SESSIONS=200` for a quick look.
SOAK_SESSIONS ?= 2000
bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; args=; [ "$$b" = bench/bench_soak.py ] && args="--sessions $(SOAK_SESSIONS)"; \
	  QT_QPA_PLATFORM=offscreen $(PY) $$b $$args || exit 1; done

clean:
	rm -rf .venv var screenshots .pytest_cache .ruff_cache .mypy_cache .hypothesis
