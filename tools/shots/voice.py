"""Voice guidance: 重听 and 语音 at the foot of the screen, and the 语音 panel over a step."""

from __future__ import annotations

from tools.shots.kit import Kit


def shots(kit: Kit) -> None:
    kit.start("个人社保参保证明打印")
    kit.tap("开始办理")
    kit.screen("identify")
    kit.tap("语音")
    kit.until(kit.window.voice_panel.isVisible, "the 语音 panel")
    kit.shot("voice-01-panel")
    kit.tap("粤语")
    kit.tap("小声一点")
    kit.shot("voice-02-panel-cantonese-softer")
    kit.tap("完成设置")
    kit.home()
