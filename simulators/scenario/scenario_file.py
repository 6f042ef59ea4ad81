"""Read and check a scenario file (docs/scenarios.md) before anything runs.

A file is YAML: `name`, optional `mode` / `language` / `orientation`, and `steps`, a list whose
items are `kind: argument` (or a bare `kind` for steps without one). Every mistake is reported with
the file, the line and the shape that was expected, all of a file's mistakes at once:

    tests/scenarios/x.yaml:7: step 3: unknown step 'tapp' (did you mean 'tap'?); expected one of …

Personas, devices, printer states, backend modes, camera scenes, screen names and backend count
kinds are checked here too, so a typo never gets as far as a running kiosk.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiosk.devices.device_url import DEVICE_IDS  # the one list of device ids

PRINTER_STATES = ("ok", "near_end", "out", "cover_open", "offline")
DOCPRINTER_STATES = ("ok", "media_empty", "door_open", "jam", "offline")
BACKEND_MODES = ("up", "down", "slow", "error")
ACCOUNT_KINDS = ("water", "electricity", "gas")  # 水电气 户号 (the backend's GET /accounts)
MODES = ("standard", "elderly")
LANGUAGES = ("zh_CN", "zh_HK", "en")
ORIENTATIONS = ("landscape", "portrait")
SCREENSHOT_NAME = re.compile(r"^\w[\w.-]*$")

# What each step kind looks like (the error messages and docs/scenarios.md quote these).
SHAPES: dict[str, str] = {
    "tap": 'tap: "text or accessible name of exactly one button"',
    "type": 'type: {field: "accessible name of the field", text: "what to type"}',
    "open_item": 'open_item: "the name of a catalogue item" (from home)',
    "place_card": "place_card: PERSONA",
    "lift_card": "lift_card (no argument)",
    "insert_sscard": "insert_sscard: PERSONA (one with a 社保卡)",
    "remove_sscard": "remove_sscard (no argument)",
    "scan": 'scan: "payload" | scan: {persona: PERSONA} | scan: {account: water|electricity|gas, persona: PERSONA}',
    "printer": "printer: ok|near_end|out|cover_open|offline | printer: {paper_out_after_lines: N}",
    "docprinter": "docprinter: " + "|".join(DOCPRINTER_STATES),
    "camera": "camera: face:<persona>|photo:<persona>|empty|two-faces|dark|document"
              " | camera: {scene: SCENE, variant: far|close|off-centre|blurry}",
    "unplug": "unplug: " + "|".join(DEVICE_IDS),
    "replug": "replug: " + "|".join(DEVICE_IDS),
    "backend": "backend: up|down|slow|error | backend: {mode: slow, seconds: S} | backend: {mode: error, status: 5xx}",
    "pay": "pay: paid",
    "expect_text": 'expect_text: "part of a visible text"',
    "wait_for_text": 'wait_for_text: {text: "part of a visible text", timeout: SECONDS}',
    "expect_no_text": 'expect_no_text: "text that must not be visible"',
    "expect_screen": "expect_screen: SCREEN (a step kind, or home|busy|error|not_built)",
    "expect_receipt": 'expect_receipt: "text on the newest receipt"',
    "expect_backend": "expect_backend: {counts: {KIND: N, …}}",
    "expect_document": 'expect_document: "text on the newest A4 document"',
    "expect_spoken": 'expect_spoken: "part of what the voice says next" (in order)',
    "expect_not_spoken": 'expect_not_spoken: "text the voice has never said" (e.g. a name)',
    "expect_taps": "expect_taps: {max: N} (taps so far, the mode switch included)",
    "idle": "idle: SECONDS (whole seconds)",
    "screenshot": "screenshot: NAME (letters, digits, _ . -)",
    "restart_kiosk": "restart_kiosk (no argument): the kiosk stops and starts again on the same disk",
}
STEP_KINDS = tuple(SHAPES)
TOP_KEYS = ("name", "mode", "language", "orientation", "steps")


def screen_names() -> tuple[str, ...]:
    """The names `expect_screen` accepts: the frozen step kinds plus the non-step screens."""
    from kiosk.services.flows import OTHER_SCREENS
    from kiosk.services.flows import STEP_KINDS as kinds

    return (*kinds, *OTHER_SCREENS)


@dataclass(frozen=True)
class Step:
    index: int  # 1-based, as printed
    line: int
    kind: str
    arg: Any
    source: str = ""  # the step as written in the file (one line)

    def describe(self) -> str:
        return self.source or (self.kind if self.arg is None else f"{self.kind}: {self.arg}")


@dataclass(frozen=True)
class Scenario:
    path: Path
    name: str
    steps: tuple[Step, ...]
    mode: str = "standard"
    language: str = "zh_CN"
    orientation: str = "landscape"

    def uses(self, *kinds: str) -> bool:
        return any(s.kind in kinds for s in self.steps)

    def devices(self) -> set[str]:
        """The simulators this scenario drives (the runner starts a hub with them)."""
        used = {"backend", "idcard", "printer"}  # the print journey's seams, always there
        by_step = {"place_card": "idcard", "lift_card": "idcard", "insert_sscard": "sscard",
                   "remove_sscard": "sscard", "scan": "scanner", "printer": "printer", "camera": "camera",
                   "docprinter": "docprinter", "expect_document": "docprinter"}
        for s in self.steps:
            if s.kind in by_step:
                used.add(by_step[s.kind])
            elif s.kind in ("unplug", "replug"):
                used.add(s.arg)
        return used


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


class ScenarioFileError(Exception):
    """A malformed scenario file; str() has one `file:line: message` per problem."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}:{p.line}: {p.message}" for p in problems))


class _Bad(Exception):
    def __init__(self, node: yaml.Node | int, message: str) -> None:
        super().__init__(message)
        self.line = node if isinstance(node, int) else node.start_mark.line + 1


# ---- argument checks: (node) -> value, raising _Bad ---------------------------------------------
def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _text(node: yaml.Node, what: str = "text") -> str:
    """A non-empty scalar, taken as written (`tap: 1` is the text "1")."""
    if not isinstance(node, yaml.ScalarNode) or _is_null(node) or not node.value.strip():
        raise _Bad(node, f"expected {what}")
    return node.value


def _choice(node: yaml.Node, choices: tuple[str, ...], what: str) -> str:
    value = _text(node, what)
    if value not in choices:
        raise _Bad(node, f"unknown {what} {value!r}{_did_you_mean(value, choices)}; "
                         f"expected one of {', '.join(choices)}")
    return value


def _did_you_mean(value: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _number(node: yaml.Node, what: str, *, whole: bool = False, minimum: float = 0,
            above: bool = True) -> float:
    value = _construct(node)
    ok_type = isinstance(value, int) if whole else isinstance(value, int | float)
    if isinstance(value, bool) or not ok_type or (value <= minimum if above else value < minimum):
        kind = "a whole number" if whole else "a number"
        bound = f"> {minimum:g}" if above else f">= {minimum:g}"
        raise _Bad(node, f"expected {what}: {kind} {bound}, got {_source(node)}")
    return value


def _persona(node: yaml.Node, need_sscard: bool = False) -> str:
    from simulators.personas import load_personas

    personas = load_personas()
    pid = _text(node, "a persona id")
    if pid not in personas:
        raise _Bad(node, f"unknown persona {pid!r}{_did_you_mean(pid, tuple(personas))}; "
                         f"expected one of {', '.join(personas)}")
    if need_sscard and personas[pid].sscard is None:
        with_card = ", ".join(p.id for p in personas.values() if p.sscard)
        raise _Bad(node, f"persona {pid!r} has no 社保卡; personas with one: {with_card}")
    return pid


def _mapping(node: yaml.Node, required: dict[str, Callable[[yaml.Node], Any]],
             optional: dict[str, Callable[[yaml.Node], Any]] | None = None) -> dict[str, Any]:
    optional = optional or {}
    if not isinstance(node, yaml.MappingNode):
        raise _Bad(node, "expected a mapping {" + ", ".join([*required, *optional]) + "}")
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key in out:
            raise _Bad(key_node, f"{key!r} is given twice")
        if key not in required and key not in optional:
            allowed = (*required, *optional)
            raise _Bad(key_node, f"unknown key {key!r}{_did_you_mean(str(key), allowed)}; "
                                 f"expected {', '.join(allowed)}")
        out[key] = (required.get(key) or optional[key])(value_node)
    missing = [k for k in required if k not in out]
    if missing:
        raise _Bad(node, f"missing {', '.join(missing)}")
    return out


def _construct(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _source(node: yaml.Node) -> str:
    return repr(node.value) if isinstance(node, yaml.ScalarNode) else f"a {node.id}"


def _no_arg(node: yaml.Node) -> None:
    if not _is_null(node):
        raise _Bad(node, "takes no argument")


def _scan(node: yaml.Node) -> dict[str, str]:
    if isinstance(node, yaml.ScalarNode):
        return {"code": _text(node, "a payload")}
    if isinstance(node, yaml.MappingNode) and any(k.value == "account" for k, _ in node.value):
        return _mapping(node, {"account": lambda n: _choice(n, ACCOUNT_KINDS, "account kind"),
                               "persona": _persona})
    return _mapping(node, {"persona": _persona})


def _printer(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        lines = _mapping(node, {"paper_out_after_lines": lambda n: _number(
            n, "paper_out_after_lines", whole=True, minimum=1, above=False)})
        return {"paper_out_after_lines": int(lines["paper_out_after_lines"])}
    return _choice(node, PRINTER_STATES, "printer state")


def _camera(node: yaml.Node) -> dict[str, str]:
    from simulators.camera.scenes import VARIANTS

    if isinstance(node, yaml.MappingNode):
        out = _mapping(node, {"scene": lambda n: _text(n, "a scene")},
                       {"variant": lambda n: _choice(n, VARIANTS, "variant")})
    else:
        out = {"scene": _text(node, "a scene")}
    _check_scene(node, out["scene"], out.get("variant", ""))
    return out


def _check_scene(node: yaml.Node, scene: str, variant: str) -> None:
    from simulators.camera.scenes import SceneError, parse_scene

    try:
        parse_scene(scene, variant)
    except SceneError as exc:
        raise _Bad(node, str(exc)) from exc


def _backend(node: yaml.Node) -> dict[str, Any]:
    if not isinstance(node, yaml.MappingNode):
        return {"mode": _choice(node, BACKEND_MODES, "backend mode")}
    out = _mapping(node, {"mode": lambda n: _choice(n, BACKEND_MODES, "backend mode")},
                   {"seconds": lambda n: _number(n, "seconds"),
                    "status": lambda n: _number(n, "status", whole=True, minimum=500, above=False)})
    if "status" in out and (out["mode"] != "error" or out["status"] > 599):
        raise _Bad(node, "status (500-599) goes with mode: error")
    if "seconds" in out and out["mode"] != "slow":
        raise _Bad(node, "seconds goes with mode: slow")
    return out


def _counts(node: yaml.Node) -> dict[str, int]:
    from simulators.backend.storage import COUNT_KEYS

    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise _Bad(node, "expected counts: {KIND: N, …}")
    out: dict[str, int] = {}
    for key_node, value_node in node.value:
        kind = _choice(key_node, COUNT_KEYS, "count kind")
        if kind in out:
            raise _Bad(key_node, f"{kind!r} is given twice")
        out[kind] = int(_number(value_node, kind, whole=True, minimum=0, above=False))
    return out


def _screenshot(node: yaml.Node) -> str:
    name = _text(node, "a screenshot name")
    if not SCREENSHOT_NAME.match(name):
        raise _Bad(node, f"screenshot name {name!r} may hold only letters, digits, _ . - (no path)")
    return name


def _item_name(node: yaml.Node) -> str:
    from simulators.backend.catalogue import load_items

    name = _text(node)
    names = [i["name"] for i in load_items(None)]
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        raise _Bad(node, f"unknown item {name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return name


def _typed(node: yaml.Node) -> dict[str, str]:
    return _mapping(node, {"field": lambda n: _text(n, "the field's accessible name"),
                           "text": lambda n: _construct_text(n)})


def _construct_text(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode) or _is_null(node) or node.value == "":
        raise _Bad(node, "expected the text to type")
    return node.value


TEXT_STEPS = ("tap", "expect_text", "expect_no_text", "expect_receipt", "expect_document", "expect_spoken",
              "expect_not_spoken")
CHECKS: dict[str, Callable[[yaml.Node], Any]] = {
    **{kind: _text for kind in TEXT_STEPS},
    "type": _typed,
    "open_item": lambda n: _item_name(n),
    "place_card": _persona,
    "lift_card": _no_arg,
    "restart_kiosk": _no_arg,
    "insert_sscard": lambda n: _persona(n, need_sscard=True),
    "remove_sscard": _no_arg,
    "scan": _scan,
    "printer": _printer,
    "docprinter": lambda n: _choice(n, DOCPRINTER_STATES, "A4 printer state"),
    "camera": _camera,
    "unplug": lambda n: _choice(n, DEVICE_IDS, "device"),
    "replug": lambda n: _choice(n, DEVICE_IDS, "device"),
    "backend": _backend,
    "pay": lambda n: _choice(n, ("paid",), "payment outcome"),
    "wait_for_text": lambda n: _mapping(n, {"text": _text, "timeout": lambda t: _number(t, "timeout")}),
    "expect_screen": lambda n: _choice(n, screen_names(), "screen"),
    "expect_backend": lambda n: _mapping(n, {"counts": _counts})["counts"],
    "idle": lambda n: int(_number(n, "idle seconds", whole=True)),
    "screenshot": _screenshot,
    "expect_taps": lambda n: _mapping(n, {"max": lambda t: int(_number(t, "taps", whole=True))})["max"],
}
assert set(CHECKS) == set(SHAPES)


def _step(index: int, node: yaml.Node, text: str) -> Step:
    if isinstance(node, yaml.ScalarNode) and not _is_null(node):
        kind, arg_node = node.value, yaml.ScalarNode("tag:yaml.org,2002:null", "", node.start_mark,
                                                     node.end_mark)
    elif isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        key_node, arg_node = node.value[0]
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Bad(key_node, "a step kind must be a word such as tap")
        kind = key_node.value
    else:
        raise _Bad(node, "a step is one `kind: argument` pair (or a bare kind such as lift_card)"
                   + ("; this one has several keys: start each step with its own `- `"
                      if isinstance(node, yaml.MappingNode) and node.value else ""))
    if kind not in CHECKS:
        raise _Bad(node, f"unknown step {kind!r}{_did_you_mean(kind, STEP_KINDS)}; "
                         f"expected one of {', '.join(STEP_KINDS)}")
    try:
        arg = CHECKS[kind](arg_node)
    except _Bad as exc:
        raise _Bad(exc.line, f"{kind}: {exc}; shape: {SHAPES[kind]}") from exc
    source = " ".join(text[node.start_mark.index:node.end_mark.index].split())
    return Step(index=index, line=node.start_mark.line + 1, kind=kind, arg=arg, source=source)


@dataclass
class _Reader:
    path: Path
    problems: list[Problem] = field(default_factory=list)

    def bad(self, exc: _Bad, prefix: str = "") -> None:
        self.problems.append(Problem(exc.line, prefix + str(exc)))


def load_scenario(path: Path | str) -> Scenario:
    """Parse and check one file; raises ScenarioFileError listing every problem found."""
    path = Path(path)
    reader = _Reader(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioFileError(path, [Problem(0, f"cannot read the file: {exc}")]) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        context = f"{exc.context} (line {exc.context_mark.line + 1}): " if exc.context and exc.context_mark else ""
        raise ScenarioFileError(path, [Problem(line, f"not valid YAML: {context}{exc.problem or exc}")]) from exc
    except yaml.YAMLError as exc:
        raise ScenarioFileError(path, [Problem(0, f"not valid YAML: {exc}")]) from exc
    if not isinstance(root, yaml.MappingNode):
        line = root.start_mark.line + 1 if root is not None else 1
        raise ScenarioFileError(path, [Problem(line, "expected a mapping with name: and steps: "
                                                     "(see docs/scenarios.md)")])
    top: dict[str, yaml.Node] = {}
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key in top:
            reader.bad(_Bad(key_node, f"{key!r} is given twice"))
        elif key not in TOP_KEYS:
            reader.bad(_Bad(key_node, f"unknown key {key!r}{_did_you_mean(str(key), TOP_KEYS)}; "
                                      f"expected {', '.join(TOP_KEYS)}"))
        else:
            top[key] = value_node
    options: dict[str, str] = {}
    for key, choices in (("mode", MODES), ("language", LANGUAGES), ("orientation", ORIENTATIONS)):
        if key in top:
            try:
                options[key] = _choice(top[key], choices, key)
            except _Bad as exc:
                reader.bad(exc)
    name = ""
    if "name" not in top:
        reader.problems.append(Problem(1, 'missing name: (expected name: "what this visit shows")'))
    else:
        try:
            name = _text(top["name"], 'a name (name: "what this visit shows")')
        except _Bad as exc:
            reader.bad(exc)
    steps: list[Step] = []
    if "steps" not in top:
        reader.problems.append(Problem(1, "missing steps: (expected a list, e.g. steps:\\n  - tap: 确定)"))
    elif not isinstance(top["steps"], yaml.SequenceNode) or not top["steps"].value:
        reader.bad(_Bad(top["steps"], "steps: expected a non-empty list of steps (- kind: argument)"))
    else:
        for i, node in enumerate(top["steps"].value, start=1):
            try:
                steps.append(_step(i, node, text))
            except _Bad as exc:
                reader.bad(exc, f"step {i}: ")
    if reader.problems:
        raise ScenarioFileError(path, sorted(reader.problems, key=lambda p: p.line))
    return Scenario(path=path, name=name, steps=tuple(steps), **options)


def load_scenarios(paths: list[Path | str]) -> tuple[list[Scenario], list[ScenarioFileError]]:
    """Every file, with all the malformed ones reported together (the runner exits 2 if any)."""
    scenarios, errors = [], []
    for p in paths:
        try:
            scenarios.append(load_scenario(p))
        except ScenarioFileError as exc:
            errors.append(exc)
    return scenarios, errors
