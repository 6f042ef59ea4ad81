"""The layer rules: kiosk/devices and kiosk/services never import Qt; kiosk/ never imports simulators/;
ui → services → devices, never upwards.

Checked two ways: import-linter's contracts in pyproject.toml, and a direct AST scan (which also
catches imports inside functions that a lazy import could hide)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(folder: str, forbidden: str) -> list[str]:
    out = []
    for path in sorted((REPO / folder).rglob("*.py")):
        for name in _imports(path):
            if name == forbidden or name.startswith(forbidden + "."):
                out.append(f"{path.relative_to(REPO)} imports {name}")
    return out


def test_devices_and_services_do_not_import_qt() -> None:
    assert _violations("kiosk/devices", "PySide6") == []
    assert _violations("kiosk/services", "PySide6") == []


def test_kiosk_does_not_import_simulators() -> None:
    assert _violations("kiosk", "simulators") == []


def test_devices_do_not_import_services_or_ui() -> None:
    assert _violations("kiosk/devices", "kiosk.services") == []
    assert _violations("kiosk/devices", "kiosk.ui") == []
    assert _violations("kiosk/services", "kiosk.ui") == []


def test_scan_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from PySide6 import QtCore\n")
    assert "PySide6" in _imports(bad)


def test_import_linter_contracts_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(REPO / "pyproject.toml")], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout
