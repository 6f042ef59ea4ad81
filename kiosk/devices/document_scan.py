"""Document mode (高拍仪): find the page in a camera frame, straighten it, enhance it, encode a JPEG.

Pure functions on numpy BGR frames; no threads, no device I/O. The camera driver runs them on its
worker thread.

    scan = scan_document(frame)      # raises DocumentNotFound when no page outline is visible
    scan.jpeg, scan.corners, scan.image
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.devices.model import Completion, DeviceError


@dataclass(frozen=True)
class ScanSettings:
    """Thresholds as data: tune on site without touching the code."""

    min_area_ratio: float = 0.12  # the page must cover at least this share of the frame …
    max_area_ratio: float = 0.92  # … and not all of it (a blank frame is not a page)
    border_margin: int = 3  # every corner this many pixels inside the frame: the whole page in view
    min_contrast: float = 15.0  # grey-level step between the page and the desk just around it
    approx_epsilon: float = 0.02  # polygon approximation, as a share of the contour perimeter
    max_side: int = 1600  # longest side of the straightened page, pixels
    jpeg_quality: int = 90
    enhance: bool = True
    trim: float = 0.01  # cut this share off each edge: the outline's pixels mix paper and desk


NO_PAGE = "camera.document.no_page"  # message code: no whole page outline in view
HOLD_STILL = "camera.document.hold_still"  # message code: a page is in view, not yet still


class DocumentNotFound(DeviceError):
    def __init__(self, detail: str) -> None:
        super().__init__(Completion.USER_ERROR, detail, NO_PAGE)


@dataclass(frozen=True)
class DocumentScan:
    image: np.ndarray  # straightened (and enhanced) page, grey or BGR
    corners: np.ndarray  # 4×2 float32 in the source frame: top-left, top-right, bottom-right, bottom-left
    jpeg: bytes


def order_corners(points: np.ndarray) -> np.ndarray:
    """Order four points as top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()  # y - x
    ordered = np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
                       dtype=np.float32)
    if len({tuple(p) for p in ordered.tolist()}) < 4:  # degenerate (e.g. a 45° square): go by angle
        centre = pts.mean(axis=0)
        angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
        ring = pts[np.argsort(angles)]  # clockwise in image coordinates, starting near the left
        start = int(np.argmin(ring.sum(axis=1)))
        ordered = np.roll(ring, -start, axis=0)
    return ordered


def _page_mask(gray: np.ndarray) -> np.ndarray:
    """White-ish paper on a darker desk: Otsu on a blurred frame, then close the text holes."""
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)


def _edge_mask(gray: np.ndarray) -> np.ndarray:
    """Fallback when paper and desk are close in brightness: Canny edges, dilated into outlines."""
    edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 40, 120)
    return cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))


def _quadrilateral(contour: np.ndarray, settings: ScanSettings) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    approx = cv2.approxPolyDP(hull, settings.approx_epsilon * cv2.arcLength(hull, True), True)
    if len(approx) == 4 and cv2.isContourConvex(approx):
        return order_corners(approx)
    # Rounded or partly shadowed corners: the minimum-area rectangle is a safe fallback only when the
    # outline really is nearly rectangular.
    rect = cv2.boxPoints(cv2.minAreaRect(contour))
    if cv2.contourArea(contour) / max(cv2.contourArea(rect), 1.0) > 0.9:
        return order_corners(rect)
    return None


def _plausible_page(gray: np.ndarray, corners: np.ndarray, settings: ScanSettings) -> bool:
    """The whole page in view, and brighter or darker than the desk right around it."""
    h, w = gray.shape
    m = settings.border_margin
    if corners[:, 0].min() < m or corners[:, 1].min() < m or corners[:, 0].max() > w - 1 - m \
            or corners[:, 1].max() > h - 1 - m:
        return False
    area = cv2.contourArea(corners)
    if not settings.min_area_ratio * h * w <= area <= settings.max_area_ratio * h * w:
        return False
    inside = np.zeros_like(gray)
    cv2.fillConvexPoly(inside, corners.astype(np.int32), 255)
    ring = cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25))) & ~inside
    inner = cv2.erode(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25)))
    if not ring.any() or not inner.any():
        return False
    return abs(float(gray[inner > 0].mean()) - float(gray[ring > 0].mean())) >= settings.min_contrast


def find_page(frame: np.ndarray, settings: ScanSettings = ScanSettings()) -> np.ndarray | None:
    """Return the page corners (4×2, ordered) or None when no whole page outline is in view."""
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    min_area = settings.min_area_ratio * gray.shape[0] * gray.shape[1]
    for mask in (_page_mask(gray), _edge_mask(gray)):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
            if cv2.contourArea(contour) < min_area:
                break
            corners = _quadrilateral(contour, settings)
            if corners is not None and _plausible_page(gray, corners, settings):
                return corners
    return None


def rectify(frame: np.ndarray, corners: np.ndarray, max_side: int = 1600) -> np.ndarray:
    """Warp the quadrilateral `corners` to an upright rectangle with the page's own proportions."""
    tl, tr, br, bl = order_corners(corners)
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    scale = min(1.0, max_side / max(width, height))
    w, h = max(1, round(width * scale)), max(1, round(height * scale))
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(np.array([tl, tr, br, bl], dtype=np.float32), target)
    return cv2.warpPerspective(frame, matrix, (w, h), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)


def enhance(page: np.ndarray) -> np.ndarray:
    """Flatten uneven lighting and stretch contrast: dark text on a white page, grey levels kept."""
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY) if page.ndim == 3 else page
    # The background (paper + shading) is what remains after closing away the thin dark strokes.
    k = max(15, (min(gray.shape) // 12) | 1)
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    background = cv2.GaussianBlur(background, (0, 0), k / 3)
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255)
    low, high = np.percentile(flat, (1, 99.5))
    if high - low < 1:
        return flat
    stretched = np.clip((flat.astype(np.float32) - low) * (255.0 / (high - low)), 0, 255)
    return stretched.astype(np.uint8)


def encode_jpeg(image: np.ndarray, quality: int = 90) -> bytes:
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise DeviceError(Completion.HARDWARE_ERROR, "JPEG encoding failed")
    return buf.tobytes()


def scan_document(frame: np.ndarray, settings: ScanSettings = ScanSettings()) -> DocumentScan:
    corners = find_page(frame, settings)
    if corners is None:
        raise DocumentNotFound("no four-sided page outline covering "
                               f"{settings.min_area_ratio:.0%} of the frame")
    page = rectify(frame, corners, settings.max_side)
    t = int(round(settings.trim * min(page.shape[:2])))
    if t and min(page.shape[:2]) > 4 * t:
        page = page[t:-t, t:-t]
    if settings.enhance:
        page = enhance(page)
    return DocumentScan(page, corners, encode_jpeg(page, settings.jpeg_quality))
