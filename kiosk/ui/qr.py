"""A QR code as a QPixmap (qrcode's matrix drawn into a QImage; no file, no PIL round trip)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap


def qr_pixmap(payload: str, size_px: int = 240) -> QPixmap:
    """Black modules on white with a 2-module quiet zone, scaled to about `size_px`."""
    import qrcode  # here, not at start-up: the first frame needs no QR code (docs/performance.md)

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    module = max(1, size_px // n)
    image = QImage(n * module, n * module, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(x * module, y * module, module, module)
    painter.end()
    return QPixmap.fromImage(image)
