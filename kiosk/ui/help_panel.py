"""帮办's second half: the platform's remote video help (粤视会-style) as a QR code and a 6-digit code.

After `POST /assistance` answers, a band under the title bar shows the QR of `remote_help.url` and its
code: a family member or the resident scans it and a staff member joins by video while someone walks
over. It is part of the window's layout (no pop-up); 关闭 or the session's end takes it away. An
answer without `remote_help` (an older platform) shows nothing here: the notice alone says staff come.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.qr import qr_pixmap
from kiosk.ui.widgets import button, label


class RemoteHelpPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remoteHelp")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(32, 12, 32, 12)
        lay.setSpacing(32)
        self.qr = label("", wrap=False)
        self.qr.setAccessibleName("远程视频帮办二维码")
        lay.addWidget(self.qr)
        texts = QVBoxLayout()
        self.text = label("", "offer")
        texts.addWidget(self.text)
        lay.addLayout(texts, 1)
        self.close_button = button("关闭")
        self.close_button.setAccessibleName("关闭远程帮办")
        self.close_button.clicked.connect(self.hide)
        lay.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.url = ""
        self.hide()

    def show_remote(self, answer: dict[str, Any] | None) -> None:
        remote = (answer or {}).get("remote_help") or {}
        if not remote.get("url"):
            self.hide()
            return
        self.url = str(remote["url"])
        self.qr.setPixmap(qr_pixmap(self.url, 150))
        minutes = int(remote.get("valid_minutes") or 30)
        self.text.setText(f"等候时也可以用手机扫码，和工作人员视频连线。\n远程帮办码：{remote.get('code', '')}"
                          f"（{minutes} 分钟内有效）")
        self.show()

    def clear(self) -> None:
        self.url = ""
        self.qr.clear()
        self.text.setText("")
        self.hide()
