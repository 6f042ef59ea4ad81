"""Voice guidance: how long a prompt takes from text to a WAV ready to play, rendered (a cache miss)
and cached, in both voices, and how much audio and disk that is. The resident hears a new screen's
prompt after the render time (cold) or at once (cached); goal: a cold render ≤ 0.3 s per prompt.

    python bench/bench_voice.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.devices.speaker import Speaker, wav_info  # noqa: E402

PROMPTS = (  # the print journey's prompts, as the screens say them
    "您好！请选择要办理的业务",
    "请阅读办事指南，准备好后点「开始办理」。",
    "请把身份证平放在下方的读卡区，或用粤省事电子身份证二维码对准扫码口，或把社保卡插入插卡口。",
    "读卡成功，正在核验身份，请稍候……",
    "请核对证明内容，确认无误后点「打印证明」。",
    "请取走您的身份证和打印的凭条，谢谢！",
    "请您对本次服务进行评价，也可以点「跳过」。",
)
GOAL_S = 0.3


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 3
    for voice in ("cmn", "yue"):
        cold, warm, seconds, size = [], [], 0.0, 0
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as cache:
                speaker = Speaker("speaker", f"espeak:{voice}", cache_dir=cache)
                speaker.open()
                try:
                    for text in PROMPTS:
                        t0 = time.perf_counter()
                        speaker.say(text).wait()
                        cold.append(time.perf_counter() - t0)
                        t0 = time.perf_counter()
                        speaker.say(text).wait()
                        warm.append(time.perf_counter() - t0)
                    seconds = sum(wav_info(p).seconds for p in Path(cache).glob("*.wav"))
                    size = sum(p.stat().st_size for p in Path(cache).glob("*.wav"))
                finally:
                    speaker.close()
        worst = max(cold)
        print(f"{voice}: {len(PROMPTS)} prompts × {rounds}: rendered median {statistics.median(cold) * 1000:.0f} ms "
              f"(worst {worst * 1000:.0f} ms), cached median {statistics.median(warm) * 1000:.1f} ms; "
              f"{seconds:.1f} s of speech, {size / 1024:.0f} KiB cached; "
              f"{'ok' if worst <= GOAL_S else 'OVER'} (goal ≤ {GOAL_S} s per cold prompt)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
