"""Reading a QR code back from a rendered page or slip, for tests.

OpenCV's classic detector misses some codes on a large page now and then (it depends on the code's
content, which carries a random verification code); the ArUco-based detector and a smaller copy of
the image catch those. A test fails only when none of them can read the code.
"""

from __future__ import annotations

import cv2
import numpy as np


def read_qr(image: np.ndarray) -> str:
    """The text of the QR code in `image` (BGR or grey), or "" when no detector can read it."""
    detectors = (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco())
    for scale in (1.0, 0.5, 0.25):
        img = image if scale == 1.0 else cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        for detector in detectors:
            value, _, _ = detector.detectAndDecode(img)
            if value:
                return value
    return ""
