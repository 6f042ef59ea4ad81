"""What the tester did, as a scenario fragment for a bug report (docs/scenarios.md's step syntax).

Device and platform actions are recorded as the steps the console carried out; the screen steps a
tester adds by hand (tap, expect_text, …) are checked by the same reader before they are accepted.
Saving writes a whole scenario file and reads it back with `load_scenario`, so a saved file is
always one `kiosk-sim run` accepts. No Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from simulators.console.actions import Action, parse_step, step_source, yaml_scalar
from simulators.scenario.scenario_file import Scenario, load_scenario

# Screen steps a tester can add by hand, with what the console's menu calls them.
MANUAL_KINDS = {"tap": "点按", "expect_text": "期望看到文字", "expect_no_text": "不应看到文字",
                "expect_screen": "期望界面", "expect_receipt": "期望小票含有", "screenshot": "截图"}


@dataclass
class Recording:
    lines: list[str] = field(default_factory=list)  # "- step" or "# comment", in order

    def add(self, action: Action) -> str:
        """Record an action that was carried out; returns the line added."""
        if action.step is not None:
            line = f"- {action.step}"
        else:
            line = f"# 未录入：{action.label}（{action.why_not_a_step}）"
        self.lines.append(line)
        return line

    def add_manual(self, kind: str, text: str) -> str:
        """A screen step typed by the tester; raises ScenarioFileError when the reader refuses it."""
        if kind not in MANUAL_KINDS:
            raise ValueError(f"not a screen step the console adds: {kind!r}")
        source = parse_step(step_source(kind, text)).source
        self.lines.append(f"- {source}")
        return self.lines[-1]

    def remove(self, index: int) -> None:
        del self.lines[index]

    def clear(self) -> None:
        self.lines.clear()

    @property
    def steps(self) -> int:
        return sum(line.startswith("- ") for line in self.lines)

    def text(self, name: str, when: datetime | None = None) -> str:
        when = when or datetime.now()
        body = "\n".join(f"  {line}" for line in self.lines)
        return (f"# 测试控制台（kiosk-sim console）录制于 {when:%Y-%m-%d %H:%M}。回放：kiosk-sim run 本文件\n"
                f"# 控制台只看得到设备和平台操作；终端屏幕上的点按和检查是手动添加的步骤。\n"
                f"name: {yaml_scalar(name)}\n"
                f"steps:\n{body}\n")

    def save(self, path: Path, name: str) -> Scenario:
        """Write the fragment as a scenario file and read it back (ScenarioFileError if it is not
        one: a bug in the console, since every line was checked when it was recorded)."""
        if not self.steps:
            raise ValueError("还没有录制任何步骤：场景至少需要一个步骤。")
        if not name.strip():
            raise ValueError("请填写场景名称（说明这次操作复现了什么）。")
        path.write_text(self.text(name.strip()), encoding="utf-8")
        return load_scenario(path)
