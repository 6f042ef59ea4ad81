"""The floor of what Qt can do: a minimal PySide6 window with the same home screen (title bar and the
same tiles, from the same catalogue data on disk), quitting after the tiles are painted. Prints the
same `startup … tiles painted` mark as the kiosk (bench/bench_startup.py starts it)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

t0 = time.monotonic()
REPO = Path(__file__).resolve().parent.parent

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtGui import QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget  # noqa: E402


def main() -> int:
    sys.path.insert(0, str(REPO))
    from kiosk import startup_trace

    app = QApplication(sys.argv[:1])
    import noto_cjk_sans_otc

    QFontDatabase.addApplicationFont(str(Path(noto_cjk_sans_otc.__file__).with_name("NotoSansCJK-Regular.ttc")))
    items = []
    for f in sorted((REPO / "simulators/backend/catalogue/items").glob("*.json")):
        items += json.loads(f.read_text(encoding="utf-8"))
    items.sort(key=lambda i: (0, i["home_rank"]) if "home_rank" in i else (1, 0))
    w = QWidget()
    w.setStyleSheet('QWidget { font-family: "Noto Sans CJK SC"; font-size: 20pt; }')
    lay = QVBoxLayout(w)
    lay.addWidget(QLabel("粤智助 · 政务服务自助终端"))
    grid = QGridLayout()
    for n, item in enumerate(items[:12]):
        grid.addWidget(QPushButton(item["name"]), n // 4, n % 4)
    lay.addLayout(grid)

    class Painted(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                startup_trace.mark("tiles painted")
                app.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
            return False

    painted = Painted()
    app.installEventFilter(painted)
    w.resize(1920, 1080)
    w.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
