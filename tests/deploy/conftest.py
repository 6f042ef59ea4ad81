"""A real release of this checkout, built once per test session with deploy/kiosk_release.py
(wheel + the locked runtime requirements, no extras); tests install it from uv's cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.helpers import kiosk_release


@pytest.fixture(scope="session")
def built_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "out"
    kiosk_release(out.parent / "unused", "build", str(out))
    return out
