"""What the console's buttons do, as scenario steps (docs/scenarios.md).

Each action is written as the step a scenario file would hold (`place_card: li_jianguo`), checked
by the scenario runner's own reader (simulators/scenario/scenario_file.py) and carried out by the
runner's own step function (simulators/scenario/steps.py STEPS). So what the console records is
exactly what `kiosk-sim run` will replay, through the same code. The few actions no step covers
(none today: every cable has a step) are a plain control call, recorded as a comment.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulators.console.hub_link import HubLink
from simulators.scenario.scenario_file import ScenarioFileError, Step, load_scenario
from simulators.scenario.steps import STEPS, Context

DEVICE_NAMES = {  # what testers call each simulator
    "idcard": "身份证阅读器", "scanner": "扫码枪", "printer": "凭条打印机", "camera": "摄像头",
    "sscard": "社保卡读卡器", "docprinter": "A4 打印机", "backend": "政务服务平台",
}
PRINTER_STATES = {"ok": "正常（加纸、合盖、联机）", "near_end": "纸将尽", "out": "缺纸",
                  "cover_open": "开盖", "offline": "脱机"}
BACKEND_MODES = {"up": "正常", "down": "断开", "slow": "缓慢", "error": "服务器错误"}
ACCOUNT_KINDS = {"water": "水费户号", "electricity": "电费户号", "gas": "燃气户号"}
CAMERA_SCENES = {"face": "真人（会动、会眨眼）", "photo": "照片翻拍（不眨眼）", "empty": "无人",
                 "two-faces": "两人同框", "dark": "光线太暗", "document": "文件（高拍仪）"}
CAMERA_VARIANTS = {"": "（无）", "far": "太远", "close": "太近", "off-centre": "偏离中间", "blurry": "模糊"}


@dataclass(frozen=True)
class Action:
    label: str  # what the console's log says
    step: str | None = None  # the scenario step as written; None: not a step
    call: tuple[str, str] | None = None  # (METHOD, path) for an action no step covers
    why_not_a_step: str = ""


# ---- writing a step -----------------------------------------------------------------------------
def yaml_scalar(value: Any) -> str:
    """`value` as a YAML scalar that reads back as exactly this value (quoted only when needed)."""
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    text = str(value)
    flow = yaml.safe_dump([text], default_flow_style=True, allow_unicode=True, width=10**9).strip()[1:-1]
    if "\n" not in flow and yaml.safe_load(f"k: {flow}") == {"k": text}:
        return flow
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted scalars


def step_source(kind: str, arg: Any = None) -> str:
    """One step as a scenario file writes it: `lift_card`, `place_card: li_jianguo`,
    `scan: {persona: chen_guiying}`."""
    if arg is None:
        return kind
    if isinstance(arg, dict):
        return f"{kind}: {{" + ", ".join(f"{k}: {yaml_scalar(v)}" for k, v in arg.items()) + "}"
    return f"{kind}: {yaml_scalar(arg)}"


def parse_step(source: str) -> Step:
    """Check one step with the scenario runner's reader; raises ScenarioFileError (line 3 = the step)."""
    with tempfile.TemporaryDirectory(prefix="kiosk-console-") as tmp:
        path = Path(tmp) / "step.yaml"
        path.write_text(f"name: console\nsteps:\n  - {source}\n", encoding="utf-8")
        return load_scenario(path).steps[0]


def step_problem(exc: ScenarioFileError) -> str:
    """The reader's message for the one step, without the temporary file's name and line."""
    return "; ".join(p.message.removeprefix("step 1: ") for p in exc.problems)


# ---- carrying one out (on the console's worker thread) ------------------------------------------
def perform(action: Action, link: HubLink) -> Any:
    if action.step is None:
        assert action.call is not None
        return link.call(*action.call)
    step = parse_step(action.step)
    # timeout_s=0: a step never waits in the console (a worker thread must not spin Qt's event loop,
    # and a scan nobody receives should fail now, not in 10 s); the scenario runner waits.
    ctx = Context(root=None, hub=link, current_screen=lambda: "",  # type: ignore[arg-type]
                  screenshots=Path(tempfile.gettempdir()), timeout_s=0)
    return STEPS[step.kind](ctx, step.arg)


# ---- the console's actions ------------------------------------------------------------------------
def place_card(persona: str, name: str) -> Action:
    return Action(f"放置身份证：{name}", step_source("place_card", persona))


def lift_card() -> Action:
    return Action("拿走身份证", step_source("lift_card"))


def insert_sscard(persona: str, name: str) -> Action:
    return Action(f"插入社保卡：{name}", step_source("insert_sscard", persona))


def remove_sscard() -> Action:
    return Action("拔出社保卡", step_source("remove_sscard"))


def scan_text(code: str) -> Action:
    return Action(f"扫码：{code}", step_source("scan", code))


def scan_eid(persona: str, name: str) -> Action:
    return Action(f"扫码：{name}的粤省事码", step_source("scan", {"persona": persona}))


def scan_account(kind: str, persona: str, name: str) -> Action:
    return Action(f"扫码：{name}的{ACCOUNT_KINDS[kind]}",
                  step_source("scan", {"account": kind, "persona": persona}))


def printer_state(state: str) -> Action:
    return Action(f"打印机：{PRINTER_STATES[state]}", step_source("printer", state))


def paper_out_after(lines: int) -> Action:
    return Action(f"打印机：再打印 {lines} 行后缺纸", step_source("printer", {"paper_out_after_lines": lines}))


def camera_scene(scene: str, variant: str = "") -> Action:
    kind = scene.partition(":")[0]
    label = f"摄像头：{CAMERA_SCENES.get(kind, scene)} {scene}" + (f"，{CAMERA_VARIANTS[variant]}" if variant else "")
    arg: Any = {"scene": scene, "variant": variant} if variant else scene
    return Action(label, step_source("camera", arg))


def unplug(device: str) -> Action:
    return _cable(device, "unplug", "拔出")


def replug(device: str) -> Action:
    return _cable(device, "replug", "插回")


def _cable(device: str, kind: str, verb: str) -> Action:
    from simulators.scenario.scenario_file import DEVICE_IDS

    label = f"{verb}{DEVICE_NAMES.get(device, device)}线缆"
    if device in DEVICE_IDS:
        return Action(label, step_source(kind, device))
    return Action(label, call=("POST", f"/{device}/{kind}"),
                  why_not_a_step=f"场景步骤 {kind} 不支持 {device}（只支持 {', '.join(DEVICE_IDS)}）")


def backend_mode(mode: str, seconds: float | None = None, status: int | None = None) -> Action:
    arg: Any = mode
    detail = ""
    if mode == "slow" and seconds is not None:
        arg, detail = {"mode": mode, "seconds": seconds}, f"，每个应答延迟 {seconds:g} 秒"
    elif mode == "error" and status is not None:
        arg, detail = {"mode": mode, "status": status}, f"，应答 HTTP {status}"
    return Action(f"平台：{BACKEND_MODES[mode]}{detail}", step_source("backend", arg))


def pay_newest() -> Action:
    return Action("平台：最新一笔待支付订单标记为已支付", step_source("pay", "paid"))
