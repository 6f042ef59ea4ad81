"""The short version of bench/bench_fuzz_parsers.py (issue 16): every pure parser gets a few thousand
mutated and random inputs and may raise only its own error type, within the hang limit. The bench runs
1,000,000 per target and prints the figures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench_fuzz_parsers.py"
INPUTS = 3000

_spec = importlib.util.spec_from_file_location("bench_fuzz_parsers", BENCH)
assert _spec is not None and _spec.loader is not None
fuzz_parsers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = fuzz_parsers  # its dataclasses look their module up there
_spec.loader.exec_module(fuzz_parsers)


@pytest.mark.parametrize("target", fuzz_parsers.TARGETS, ids=[t.name for t in fuzz_parsers.TARGETS])
def test_parser_raises_only_its_own_error(target) -> None:
    result = fuzz_parsers.fuzz(target, INPUTS, seed=2024, hang_s=10.0)
    assert result.inputs == INPUTS
    assert result.crashes == [] and result.crash_count == 0, result.crashes
    assert result.hangs == []


def test_the_harness_reports_a_crash_and_a_hang() -> None:
    """A target that crashes on some inputs and hangs on one is caught, not passed."""
    calls = {"n": 0}

    def run(x: int) -> None:
        calls["n"] += 1
        if x == 3:
            raise KeyError("not the parser's own error")
        if x == 5 and calls["n"] < 50:
            while True:
                pass

    target = fuzz_parsers.Target("broken", lambda rng: rng.randrange(8), run, (ValueError,))
    result = fuzz_parsers.fuzz(target, 40, hang_s=0.2)
    assert result.crash_count > 0 and "KeyError" in result.crashes[0][1]
    assert result.hangs and set(result.hangs) == {5}
    assert not result.ok
