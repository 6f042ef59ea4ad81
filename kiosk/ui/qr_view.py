"""A QR code on screen (the payment QR): the qrcode package's module matrix drawn into a QImage.

No image library between them: each module becomes a block of pixels, with the 4-module quiet
zone the standard asks for, so a phone reads it from the screen as from paper.
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget


def qr_image(payload: str, size_px: int = 480) -> QImage:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the border
    n = len(matrix)
    module = max(1, size_px // n)
    image = QImage(n * module, n * module, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    black = QColor("black")
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * module, y * module, module, module, black)
    painter.end()
    return image


class QrView(QLabel):
    """Shows one payload as a QR code; its accessible name says what it is for (never the payload)."""

    def __init__(self, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "qr")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setScaledContents(True)
        self.setAccessibleName(purpose)
        self.payload = ""

    def show_payload(self, payload: str) -> None:
        self.payload = payload
        self.setPixmap(QPixmap.fromImage(qr_image(payload)))

    def clear_payload(self) -> None:
        self.payload = ""
        self.clear()
