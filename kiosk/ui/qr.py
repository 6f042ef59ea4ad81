"""QR codes on screen: the qrcode package's module matrix drawn into a QImage (no image library).

Each module becomes a block of whole pixels with a 4-module quiet zone, so a phone reads the code
from the screen as from paper. `QrView` draws one payload as large as its place in the layout allows
(up to its preferred side), so a tight screen shrinks the code instead of squeezing the text beside it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

QUIET_ZONE = 4  # modules of white around the code (ISO/IEC 18004)


def qr_matrix(payload: str) -> list[list[bool]]:
    """The code's modules, quiet zone included (True: dark)."""
    import qrcode  # here, not at start-up: the first frame needs no QR code (docs/performance.md)

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def qr_image(payload: str, size_px: int = 240) -> QImage:
    """Black modules on white, the largest whole module size that keeps the image within `size_px`
    (at least one pixel per module)."""
    return _draw(qr_matrix(payload), size_px)


def _draw(matrix: list[list[bool]], size_px: int) -> QImage:
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


def qr_pixmap(payload: str, size_px: int = 240) -> QPixmap:
    return QPixmap.fromImage(qr_image(payload, size_px))


class QrView(QWidget):
    """One payload as a square QR code, `side_px` when there is room, never under `min_px`.
    Its accessible name says what it is for (never the payload)."""

    def __init__(self, purpose: str, side_px: int = 320, min_px: int = 120, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(purpose)
        self.side_px, self.min_px = side_px, min_px
        self.setMinimumSize(min_px, min_px)
        self.payload = ""
        self._matrix: list[list[bool]] = []
        self._image: QImage | None = None  # drawn for the current size, on first paint after a change

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.side_px, self.side_px)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.min_px, self.min_px)

    def show_payload(self, payload: str) -> None:
        self.payload = payload
        self._matrix = qr_matrix(payload) if payload else []
        self._image = None
        self.update()

    def clear_payload(self) -> None:
        self.show_payload("")

    def pixmap(self) -> QPixmap:
        """The code at its preferred size (null when there is no payload)."""
        return QPixmap.fromImage(_draw(self._matrix, self.side_px)) if self._matrix else QPixmap()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._image = None
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if not self._matrix:
            return
        side = min(self.width(), self.height(), self.side_px)
        if self._image is None or self._image.width() > side:
            self._image = _draw(self._matrix, side)  # whole pixels per module: as sharp as paper
        image = self._image
        painter = QPainter(self)
        painter.drawImage((self.width() - image.width()) // 2, (self.height() - image.height()) // 2, image)
        painter.end()
