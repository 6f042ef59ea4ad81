"""帮办's answer: "staff are coming", with the platform's remote video help (粤视会-style) as a QR code
and a 6-digit code.

After `POST /assistance` answers with `remote_help`, one band under the title bar says staff are
coming and shows the QR of `remote_help.url` with its code: a family member or the resident scans it
and a staff member joins by video while someone walks over. One band, not the notice plus a second
band, so the screen under it keeps its room (长者模式's type is large). It is part of the window's
layout (no pop-up); 关闭 or the session's end takes it away. An answer without `remote_help` (an older
platform) shows nothing here: the notice alone says staff come.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.i18n import tr
from kiosk.ui.qr import QrView
from kiosk.ui.widgets import button, label


class RemoteHelpPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remoteHelp")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(32, 4, 32, 4)  # thin: the screen under it keeps its room
        lay.setSpacing(24)
        self.qr = QrView(tr("远程视频帮办二维码"), side_px=124, min_px=120)  # 3 px a module
        lay.addWidget(self.qr)
        texts = QVBoxLayout()
        texts.setSpacing(0)
        self.headline = label("", "offerTitle")  # what 帮办 did: staff are on their way
        texts.addWidget(self.headline)
        self.text = label("", "offer")
        texts.addWidget(self.text)
        lay.addLayout(texts, 1)
        self.close_button = button(tr("关闭"))
        self.close_button.setAccessibleName(tr("关闭远程帮办"))
        self.close_button.clicked.connect(self.hide)
        lay.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.url = ""
        self.hide()

    def show_remote(self, answer: dict[str, Any] | None, headline: str) -> bool:
        """Show the band for this answer; False (and hidden) when the platform offers no remote help."""
        remote = (answer or {}).get("remote_help") or {}
        if not remote.get("url"):
            self.hide()
            return False
        self.url = str(remote["url"])
        self.qr.show_payload(self.url)
        minutes = int(remote.get("valid_minutes") or 30)
        self.headline.setText(headline)
        self.text.setText(tr("也可用手机扫码视频连线，远程帮办码 {code}（{minutes} 分钟内有效）")
                          .format(code=remote.get("code", ""), minutes=minutes))
        self.show()
        return True

    def clear(self) -> None:
        self.url = ""
        self.qr.clear_payload()
        self.headline.setText("")
        self.text.setText("")
        self.hide()
