"""The face-frame cache: camera frames and enrolled faces derived from the two shipped photos.

Only two distinct face photos exist on these machines without downloads (docs/environment.md):
``skimage/data/astronaut.png`` and matplotlib's ``mpl-data/sample_data/grace_hopper.jpg``.
Personas name one of them (``Persona.face_photo``). At set-up this module derives, per photo:

* ``enrolled.jpg`` — the aligned, cropped face (200×240) the reference backend enrols;
* ``live/NNN.jpg`` — 24 frames (640×480) of a *live* person: the face centred on a plain wall,
  face box ≈ 45 % of the frame height, small head motion, and one blink (eyes painted shut) in a few
  consecutive frames (listed in ``manifest.json``);
* ``still/NNN.jpg`` — 24 frames of the same face *printed on a card held up*: a visible white border,
  fingers on the card edge, a little hand jitter, and no blink or change of expression.

Layout of the cache directory (never committed; default ``<repo>/var/cache/faces``, or
``$KIOSK_FACE_CACHE``), one sub-directory per cache version::

    v<N>/STAMP                 "village-kiosk face cache v<N>", written last
    v<N>/manifest.json         per photo: source, face/eye boxes, frame lists, blink frame indexes
    v<N>/<photo>/enrolled.jpg
    v<N>/<photo>/live/000.jpg … 023.jpg
    v<N>/<photo>/still/000.jpg … 023.jpg

Faces and eyes are found with OpenCV's Haar cascades (``cv2.data.haarcascades``), and the build
checks its own output with them (on the decoded JPEGs), so the cache guarantees, for both photos:

* every live and still frame: exactly one ``haarcascade_frontalface_default`` face (step 1.1,
  5 neighbours, min 80 px) in the plain and in the histogram-equalised grey image; the face box is
  about 185-230 px high (≈ 0.39-0.48 of the frame height);
* every open-eye live frame and every still frame: at least one eye from ``haarcascade_eye`` or
  ``haarcascade_eye_tree_eyeglasses`` (step 1.1, 5 neighbours) in the upper 50-65 % of that face box
  of the *plain* grey image. Do not equalise before eye detection: Grace Hopper wears spectacles and
  her eyes are then mostly lost (the astronaut's survive either way);
* blink frames (``BLINK_FRAMES``): no eye from either cascade at step 1.1 or 1.2 with 3 neighbours
  (so none at 5 either). A very loose detector (step 1.05, 3 neighbours) may still fire on hair or
  spectacle rims, but less often than in the open frames.

This is test material for a simulated face check, not biometrics.

Run ``python -m simulators.personas.faces [CACHE_DIR]`` to build the cache; it prints the versioned
cache path.
"""

from __future__ import annotations

import fcntl
import importlib.util
import json
import math
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

__all__ = [
    "BLINK_FRAMES",
    "FRAME_COUNT",
    "FRAME_SIZE",
    "PHOTOS",
    "blink_frames",
    "enrolled_face",
    "ensure_face_cache",
    "face_cache_dir",
    "live_frames",
    "source_photo",
    "still_photo_frames",
]

CACHE_VERSION = 2
STAMP_NAME = "STAMP"
STAMP_TEXT = f"village-kiosk face cache v{CACHE_VERSION}\n"
PHOTOS = ("astronaut", "grace_hopper")
FRAME_SIZE = (640, 480)  # width, height
FRAME_COUNT = 24
BLINK_FRAMES = (10, 11, 12)
ENROLLED_SIZE = (200, 240)
FACE_HEIGHT_FRACTION = 0.42  # source Haar face box, scaled, / frame height (re-detected: ≈ 0.45-0.5)
STILL_FACE_FRACTION = 0.40
JPEG_QUALITY = 92

_SEEDS = {"astronaut": 1969, "grace_hopper": 1906}
_built: set[Path] = set()


# ---------------------------------------------------------------- locations


def face_cache_dir() -> Path:
    """``$KIOSK_FACE_CACHE`` if set, else ``<repo>/var/cache/faces``."""
    env = os.environ.get("KIOSK_FACE_CACHE")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]  # …/simulators/personas/faces.py → repo
    return repo / "var" / "cache" / "faces"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"package {name!r} is not installed; install the dev extra (scikit-image, matplotlib), "
            "which ships the face photos"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def source_photo(photo: str) -> Path:
    """The shipped photo a face comes from (found in the installed packages, never downloaded)."""
    if photo == "astronaut":
        path = _package_dir("skimage") / "data" / "astronaut.png"
        if not path.exists():
            import skimage

            path = Path(skimage.data_dir) / "astronaut.png"
    elif photo == "grace_hopper":
        path = _package_dir("matplotlib") / "mpl-data" / "sample_data" / "grace_hopper.jpg"
        if not path.exists():
            import matplotlib

            path = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    else:
        raise KeyError(f"unknown face photo {photo!r}; valid: {', '.join(PHOTOS)}")
    if not path.exists():
        raise FileNotFoundError(f"face photo {photo!r} not found at {path}")
    return path


# ---------------------------------------------------------------- public accessors


def enrolled_face(photo: str, cache_dir: Path | None = None) -> Path:
    """The aligned, cropped face (200×240 JPEG) the backend uses as the enrolled image."""
    return _photo_dir(photo, cache_dir) / "enrolled.jpg"


def live_frames(photo: str, cache_dir: Path | None = None) -> list[Path]:
    """24 640×480 frames of a live person: small head motion and a blink at ``BLINK_FRAMES``."""
    return _frame_paths(_photo_dir(photo, cache_dir) / "live")


def still_photo_frames(photo: str, cache_dir: Path | None = None) -> list[Path]:
    """24 640×480 frames of the printed face held up on a card: hand jitter, no blink."""
    return _frame_paths(_photo_dir(photo, cache_dir) / "still")


def blink_frames(photo: str, cache_dir: Path | None = None) -> list[int]:
    """Indexes into ``live_frames(photo)`` where the eyes are shut."""
    root = ensure_face_cache(cache_dir)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return list(manifest["photos"][photo]["blink_frames"])


def _photo_dir(photo: str, cache_dir: Path | None) -> Path:
    if photo not in PHOTOS:
        raise KeyError(f"unknown face photo {photo!r}; valid: {', '.join(PHOTOS)}")
    return ensure_face_cache(cache_dir) / photo


def _frame_paths(folder: Path) -> list[Path]:
    return [folder / f"{i:03d}.jpg" for i in range(FRAME_COUNT)]


def _expected_files(root: Path) -> list[Path]:
    files = [root / "manifest.json"]
    for photo in PHOTOS:
        files.append(root / photo / "enrolled.jpg")
        files += _frame_paths(root / photo / "live")
        files += _frame_paths(root / photo / "still")
    return files


def _is_built(root: Path) -> bool:
    stamp = root / STAMP_NAME
    try:
        if stamp.read_text(encoding="utf-8") != STAMP_TEXT:
            return False
    except OSError:
        return False
    return all(p.exists() for p in _expected_files(root))


def ensure_face_cache(cache_dir: Path | None = None) -> Path:
    """Build the cache if it is missing or stale; fast (one stamp check) when already built.

    Returns the versioned directory holding the files: ``<cache_dir>/v<CACHE_VERSION>``.

    Safe to call from several processes at once (a lock file beside the cache directory).
    Never deletes anything but the files it writes itself.
    """
    base = Path(cache_dir) if cache_dir is not None else face_cache_dir()
    # one sub-directory per cache version: processes running older code never fight over files
    root = base.resolve() / f"v{CACHE_VERSION}"
    if root in _built and (root / STAMP_NAME).exists():
        return root
    if not _is_built(root):
        root.parent.mkdir(parents=True, exist_ok=True)
        lock_path = root.parent / f".{root.name}.lock"
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not _is_built(root):
                    _build(root)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    _built.add(root)
    return root


# ---------------------------------------------------------------- detection


@lru_cache(maxsize=8)
def _cascade(name: str) -> cv2.CascadeClassifier:
    path = os.path.join(cv2.data.haarcascades, name)
    clf = cv2.CascadeClassifier(path)
    if clf.empty():
        raise RuntimeError(f"cannot load Haar cascade {path} (OpenCV 5 ships none: pin opencv<5)")
    return clf


@dataclass(frozen=True)
class _FaceGeometry:
    face: tuple[int, int, int, int]  # x, y, w, h in source pixels
    eyes: tuple[tuple[int, int, int, int], tuple[int, int, int, int]]  # left, right (image order)


def _detect_geometry(img: np.ndarray) -> _FaceGeometry:
    gray = cv2.equalizeHist(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))
    faces = _cascade("haarcascade_frontalface_default.xml").detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=5, minSize=(60, 60)
    )
    if len(faces) == 0:
        raise RuntimeError("no face found in the source photo")
    x, y, w, h = (int(v) for v in max(faces, key=lambda f: f[2] * f[3]))
    upper = gray[y : y + int(h * 0.6), x : x + w]
    found = _cascade("haarcascade_eye.xml").detectMultiScale(upper, 1.1, 5, minSize=(w // 10, w // 10))
    eyes = sorted(
        ((int(ex) + x, int(ey) + y, int(ew), int(eh)) for ex, ey, ew, eh in found), key=lambda e: e[0]
    )
    left = [e for e in eyes if e[0] + e[2] / 2 < x + w / 2]
    right = [e for e in eyes if e[0] + e[2] / 2 >= x + w / 2]
    if left and right:
        a, b = max(left, key=lambda e: e[2]), max(right, key=lambda e: e[2])
        # one size for both eyes (the cascade often boxes one eye tighter), centres kept
        s = max(a[2], b[2])
        pair = tuple(
            (int(round(e[0] + e[2] / 2 - s / 2)), int(round(e[1] + e[3] / 2 - s / 2)), s, s) for e in (a, b)
        )
    else:  # typical proportions of a frontal face box
        s = int(w * 0.22)
        pair = (
            (x + int(w * 0.30) - s // 2, y + int(h * 0.38) - s // 2, s, s),
            (x + int(w * 0.70) - s // 2, y + int(h * 0.38) - s // 2, s, s),
        )
    return _FaceGeometry(face=(x, y, w, h), eyes=pair)


def _centre(box: tuple[int, int, int, int]) -> tuple[float, float]:
    x, y, w, h = box
    return x + w / 2, y + h / 2


# ---------------------------------------------------------------- rendering


@dataclass
class _Head:
    """The aligned head-and-shoulders patch of one photo, scaled so the face box is ``face_px`` tall."""

    image: np.ndarray  # BGR
    face: tuple[float, float, float, float]  # x, y, w, h in patch pixels
    eyes: tuple[tuple[float, float, float, float], ...]
    skin: np.ndarray  # BGR skin tone (cheek median)


def _aligned_head(src: np.ndarray, geo: _FaceGeometry, face_px: float) -> _Head:
    """Rotate the eyes level, scale the face box to ``face_px`` and crop a generous head patch."""
    (lx, ly), (rx, ry) = _centre(geo.eyes[0]), _centre(geo.eyes[1])
    angle = math.degrees(math.atan2(ry - ly, rx - lx))
    fx, fy, fw, fh = geo.face
    cx, cy = fx + fw / 2, fy + fh / 2
    scale = face_px / fh
    # patch: 2.2 face widths wide, from 0.75 face heights above the box centre-top to 1.1 below
    pw, ph = int(round(fw * scale * 2.2)), int(round(fh * scale * 2.6))
    m = cv2.getRotationMatrix2D((cx, cy), angle, scale)
    m[0, 2] += pw / 2 - cx
    m[1, 2] += ph * 0.42 - cy
    patch = cv2.warpAffine(src, m, (pw, ph), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)

    def tf(box: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
        bx, by = _centre(box)
        px, py = m @ np.array([bx, by, 1.0])
        return px - box[2] * scale / 2, py - box[3] * scale / 2, box[2] * scale, box[3] * scale

    face = tf(geo.face)
    eyes = (tf(geo.eyes[0]), tf(geo.eyes[1]))
    x, y, w, h = face
    cheek = patch[int(y + h * 0.58) : int(y + h * 0.70), int(x + w * 0.2) : int(x + w * 0.8)]
    skin = np.median(cheek.reshape(-1, 3), axis=0)
    return _Head(image=patch, face=face, eyes=eyes, skin=skin)


def _closed_eyes(head: _Head, grow: float = 1.0) -> np.ndarray:
    """The head patch with both eyes shut: the eye openings inpainted from the surrounding lids and
    skin, a soft lid shadow, and a thin lash line along the closed lid."""
    img = head.image.copy()
    hole = np.zeros(img.shape[:2], np.uint8)
    lash = np.zeros(img.shape[:2], np.float32)
    shadow = np.zeros(img.shape[:2], np.float32)
    for ex, ey, ew, eh in head.eyes:
        c = (int(round(ex + ew / 2)), int(round(ey + eh * 0.52)))
        axes = (int(ew * 0.44 * grow), int(eh * 0.27 * grow))
        cv2.ellipse(hole, c, axes, 0, 0, 360, 255, -1)
        cv2.ellipse(
            shadow, (c[0], c[1] - int(eh * 0.04)), (int(ew * 0.42), int(eh * 0.26)), 0, 0, 360, 1.0, -1
        )
        cv2.ellipse(lash, (c[0], c[1] - int(eh * 0.10)), (int(ew * 0.34), int(eh * 0.16)), 0, 25, 155, 1.0, 2)
    hole = cv2.dilate(hole, np.ones((5, 5), np.uint8))
    filled = cv2.inpaint(img, hole, max(3, int(head.face[2] * 0.03)), cv2.INPAINT_TELEA)
    # inpainting leaves a smooth patch: pull it towards skin tone so no dark pupil survives
    soft = cv2.GaussianBlur(hole.astype(np.float32) / 255.0, (0, 0), max(1.0, head.face[2] * 0.01))[..., None]
    out = filled.astype(np.float32)
    out = out * (1 - 0.5 * soft) + (head.skin * 0.97) * (0.5 * soft)
    shadow = cv2.GaussianBlur(shadow, (0, 0), max(1.0, head.face[2] * 0.012))[..., None]
    out *= 1 - 0.08 * shadow
    lash = cv2.GaussianBlur(lash, (0, 0), 0.8)[..., None] * 0.6
    out = out * (1 - lash) + (head.skin * 0.30) * lash
    return np.clip(out, 0, 255).astype(np.uint8)


def _soften(image: np.ndarray, spots: list[tuple[float, float, float]]) -> np.ndarray:
    """Blur small round spots (x, y, size) into their surroundings."""
    mask = np.zeros(image.shape[:2], np.float32)
    for x, y, size in spots:
        cv2.circle(mask, (int(x), int(y)), max(2, int(size * 0.35)), 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 2.0)[..., None]
    blurred = cv2.GaussianBlur(image, (0, 0), 3.0).astype(np.float32)
    return np.clip(image * (1 - mask) + blurred * mask, 0, 255).astype(np.uint8)


def _head_mask(head: _Head) -> np.ndarray:
    """A soft mask of head, neck and shoulders (the person in front of the wall)."""
    h, w = head.image.shape[:2]
    fx, fy, fw, fh = head.face
    cx, cy = fx + fw / 2, fy + fh / 2
    mask = np.zeros((h, w), np.float32)
    cv2.ellipse(mask, (int(cx), int(cy - fh * 0.08)), (int(fw * 0.78), int(fh * 1.0)), 0, 0, 360, 1.0, -1)
    cv2.rectangle(mask, (int(cx - fw * 0.36), int(cy)), (int(cx + fw * 0.36), int(cy + fh * 1.3)), 1.0, -1)
    cv2.ellipse(mask, (int(cx), int(cy + fh * 1.55)), (int(fw * 1.2), int(fh * 0.65)), 0, 0, 360, 1.0, -1)
    k = int(fw * 0.12) | 1
    return cv2.GaussianBlur(mask, (k, k), 0)


def _wall(base: tuple[int, int, int]) -> np.ndarray:
    w, h = FRAME_SIZE
    wall = np.empty((h, w, 3), np.float32)
    wall[:] = base
    shade = np.linspace(1.04, 0.94, h, dtype=np.float32)[:, None, None]  # light from above
    return wall * shade


def _finish(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noisy = frame.astype(np.float32) + 2.0 * rng.standard_normal(frame.shape, dtype=np.float32)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _place(
    canvas: np.ndarray, patch: np.ndarray, alpha: np.ndarray, anchor: tuple[float, float], m: np.ndarray
) -> np.ndarray:
    """Warp ``patch`` (and its alpha) by ``m`` (patch → frame, anchored) and blend onto ``canvas``."""
    w, h = FRAME_SIZE
    full = m.copy()
    full[0, 2] += anchor[0]
    full[1, 2] += anchor[1]
    img = cv2.warpAffine(patch.astype(np.float32), full, (w, h), flags=cv2.INTER_LINEAR)
    a = cv2.warpAffine(alpha, full, (w, h), flags=cv2.INTER_LINEAR)[..., None]
    return canvas * (1 - a) + img * a


def _motion(i: int, amp_px: float, amp_deg: float, phase: float) -> tuple[float, float, float]:
    t = 2 * math.pi * i / FRAME_COUNT
    return (
        amp_px * math.sin(t + phase),
        0.5 * amp_px * math.sin(2 * t + phase + 0.7),
        amp_deg * math.sin(t + phase + 1.9),
    )


# Eye-detector settings (scale step, min neighbours) a downstream blink check may use: in a blink
# frame none of them, with either eye cascade, may find an eye.
_EYE_CHECKS = ((1.1, 3), (1.2, 3))


def _log(message: str) -> None:
    if os.environ.get("KIOSK_FACE_CACHE_VERBOSE"):
        print(f"faces: {message}", file=sys.stderr)


def _jpeg_roundtrip(frame: np.ndarray) -> np.ndarray:
    """Exactly the pixels a reader of the cached JPEG gets."""
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def _frame_eye_hits(frame: np.ndarray) -> list[tuple[float, float, float]]:
    """Every eye-cascade hit (centre x, y, size) in the upper part of every face in a frame.

    Haar results depend on the region searched, so a few plausible face-ROI crops are tried.
    """
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    hits = []
    for fx, fy, fw, fh in _cascade("haarcascade_frontalface_default.xml").detectMultiScale(
        gray, 1.1, 5, minSize=(80, 80)
    ):
        for margin, depth in ((0.0, 0.5), (0.0, 0.6), (0.05, 0.65)):
            x0, y0 = max(0, int(fx - fw * margin)), int(fy)
            roi = gray[y0 : int(fy + fh * depth), x0 : int(fx + fw * (1 + margin))]
            for name in ("haarcascade_eye.xml", "haarcascade_eye_tree_eyeglasses.xml"):
                for step, neighbours in _EYE_CHECKS:
                    for ex, ey, ew, eh in _cascade(name).detectMultiScale(roi, step, neighbours):
                        hits.append((x0 + ex + ew / 2, y0 + ey + eh / 2, float(ew)))
    return hits


class _LiveScene:
    """A head in front of a wall, turning a little about the neck, frame by frame."""

    def __init__(self, head: _Head, seed: int) -> None:
        w, h = FRAME_SIZE
        self.head = head
        self.seed = seed
        self.alpha = _head_mask(head)
        self.wall = _wall((196, 203, 208))
        fx, fy, fw, fh = head.face
        self.pivot = (fx + fw / 2, fy + fh * 1.2)  # the neck: heads turn about it
        self.anchor = (w / 2 - (fx + fw / 2), h * 0.47 - (fy + fh / 2))

    def matrix(self, i: int) -> np.ndarray:
        """Patch → frame for frame ``i`` (motion, without the anchor)."""
        dx, dy, deg = _motion(i, amp_px=6.0, amp_deg=3.0, phase=0.0)
        m = cv2.getRotationMatrix2D(self.pivot, deg, 1.0 + 0.015 * math.sin(i / 3.0))
        m[0, 2] += dx
        m[1, 2] += dy
        return m

    def render(self, i: int, patch: np.ndarray, attempt: int = 0) -> np.ndarray:
        frame = _place(self.wall, patch, self.alpha, self.anchor, self.matrix(i))
        return _finish(frame, np.random.default_rng((self.seed, i, attempt)))

    def to_patch(self, i: int, x: float, y: float) -> tuple[float, float]:
        full = self.matrix(i).copy()
        full[0, 2] += self.anchor[0]
        full[1, 2] += self.anchor[1]
        px, py = cv2.invertAffineTransform(full) @ np.array([x, y, 1.0])
        return float(px), float(py)


def _render_live(head: _Head, seed: int) -> list[np.ndarray]:
    """Render the live sequence; the blink frames are checked with the eye cascades themselves.

    Eyes are painted shut and the rendered blink frames run through the detectors; a hit on a painted
    eye grows the painted lids; a hit elsewhere (a spectacle hinge, say) is an eye look-alike that would
    survive the blink, so it is softened in the blink frames (the open frames stay untouched). Repeat
    until no detector finds an eye.
    """
    scene = _LiveScene(head, seed)
    grow = 1.0
    spots: list[tuple[float, float, float]] = []
    shut = _closed_eyes(head, grow)
    for _ in range(6):
        on_eye, elsewhere = False, []
        for i in BLINK_FRAMES:
            for x, y, size in _frame_eye_hits(_jpeg_roundtrip(scene.render(i, shut))):
                px, py = scene.to_patch(i, x, y)
                near = any(
                    abs(px - (ex + ew / 2)) < ew * 0.6 and abs(py - (ey + eh / 2)) < eh * 0.6
                    for ex, ey, ew, eh in head.eyes
                )
                if near:
                    on_eye = True
                else:
                    elsewhere.append((px, py, size))
        if not on_eye and not elsewhere:
            break
        _log(
            f"blink check: eyes still found (on the lids: {on_eye}, elsewhere: {len(elsewhere)}); repainting"
        )
        if on_eye:
            grow = min(grow * 1.1, 1.6)
        spots += elsewhere
        shut = _closed_eyes(head, grow)
        if spots:
            shut = _soften(shut, spots)
    frames = []
    for i in range(FRAME_COUNT):
        if i in BLINK_FRAMES:
            frames.append(scene.render(i, shut))
            if not _frame_ok(frames[-1], eyes=False):
                _log(f"live frame {i}: the face is not found exactly once")
        else:
            frames.append(
                _first_ok((scene.render(i, head.image, k) for k in range(_ATTEMPTS)), f"live frame {i}")
            )
    return frames


_ATTEMPTS = 8


def _frame_ok(frame: np.ndarray, eyes: bool) -> bool:
    """The contract of the cache, checked on the decoded JPEG: exactly one face (plain and
    histogram-equalised grey) and, when ``eyes``, an eye in the upper face with the usual settings
    (step 1.1, 5 neighbours) for several face-ROI depths."""
    gray = cv2.cvtColor(_jpeg_roundtrip(frame), cv2.COLOR_BGR2GRAY)
    face_cascade = _cascade("haarcascade_frontalface_default.xml")
    found = face_cascade.detectMultiScale(gray, 1.1, 5, minSize=(80, 80))
    if (
        len(found) != 1
        or len(face_cascade.detectMultiScale(cv2.equalizeHist(gray), 1.1, 5, minSize=(80, 80))) != 1
    ):
        return False
    if not eyes:
        return True
    x, y, w, h = found[0]
    for depth in (0.5, 0.6, 0.65):
        roi = gray[y : y + int(h * depth), x : x + w]
        if not any(
            len(_cascade(n).detectMultiScale(roi, 1.1, 5))
            for n in ("haarcascade_eye.xml", "haarcascade_eye_tree_eyeglasses.xml")
        ):
            return False
    return True


def _first_ok(candidates, what: str) -> np.ndarray:
    """The first candidate frame (differing only in sensor noise) that meets the contract."""
    frame = None
    for frame in candidates:
        if _frame_ok(frame, eyes=True):
            return frame
    _log(f"{what}: no noise variant shows one face with open eyes; keeping the last")
    return frame


def _print_card(head: _Head, face_px_in_frame: float) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """The printed photo on a white card with a thin outline; returns image, alpha, face centre."""
    fx, fy, fw, fh = head.face
    cx, cy = fx + fw / 2, fy + fh / 2
    # a passport-style crop around the face, printed (lower contrast, warmer, slightly soft)
    pw, ph = fw * 1.7, fh * 2.0
    x0, y0 = int(max(0, cx - pw / 2)), int(max(0, cy - ph * 0.48))
    x1, y1 = int(min(head.image.shape[1], x0 + pw)), int(min(head.image.shape[0], y0 + ph))
    photo = head.image[y0:y1, x0:x1].astype(np.float32)
    photo = photo * 0.82 + 30
    photo[..., 2] *= 1.03
    photo = cv2.GaussianBlur(photo, (3, 3), 0)
    border = int(fw * 0.10)
    card = np.full((photo.shape[0] + 2 * border, photo.shape[1] + 2 * border, 3), 238, np.float32)
    card[border : border + photo.shape[0], border : border + photo.shape[1]] = photo
    cv2.rectangle(card, (0, 0), (card.shape[1] - 1, card.shape[0] - 1), (120, 120, 120), 2)
    scale = face_px_in_frame / fh
    card = cv2.resize(np.clip(card, 0, 255), None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    alpha = np.ones(card.shape[:2], np.float32)
    centre = ((cx - x0 + border) * scale, (cy - y0 + border) * scale)
    return card, alpha, centre


def _render_still(head: _Head, seed: int) -> list[np.ndarray]:
    w, h = FRAME_SIZE
    card, alpha, (fcx, fcy) = _print_card(head, STILL_FACE_FRACTION * h)
    ch, cw = card.shape[:2]
    anchor = (w / 2 - fcx, h * 0.47 - fcy)
    skin = np.array([140, 165, 205], np.float32)  # a hand (BGR), not the photo's skin
    wall = _wall((172, 180, 186))
    frames = []
    for i in range(FRAME_COUNT):
        rng = np.random.default_rng((seed, 100 + i))
        dx, dy, deg = _motion(i, amp_px=1.5, amp_deg=0.5, phase=0.4)
        dx += rng.normal(0, 0.4)
        dy += rng.normal(0, 0.4)
        m = cv2.getRotationMatrix2D((cw / 2, ch), deg - 1.5, 1.0)  # held slightly tilted
        m[0, 2] += dx
        m[1, 2] += dy
        frame = _place(wall, card, alpha, anchor, m)
        # fingers gripping the bottom corners of the card, moving with it
        for fx in (0.12, 0.88):
            px, py = m @ np.array([cw * fx, ch * 0.97, 1.0])
            px, py = px + anchor[0], py + anchor[1]
            cv2.ellipse(
                frame, (int(px), int(py)), (int(cw * 0.07), int(ch * 0.09)), deg, 0, 360, skin.tolist(), -1
            )
        variants = (_finish(frame, np.random.default_rng((seed, 100 + i, k))) for k in range(_ATTEMPTS))
        frames.append(_first_ok(variants, f"still frame {i}"))
    return frames


def _enrolled(head: _Head) -> np.ndarray:
    fx, fy, fw, fh = head.face
    cx, cy = fx + fw / 2, fy + fh / 2
    ew, eh = ENROLLED_SIZE
    cw = fw * 1.45
    chh = cw * eh / ew
    x0, y0 = cx - cw / 2, cy - chh * 0.47
    m = np.array([[ew / cw, 0, -x0 * ew / cw], [0, ew / cw, -y0 * ew / cw]], np.float32)
    return cv2.warpAffine(head.image, m, (ew, eh), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)


# ---------------------------------------------------------------- build


def _write_jpeg(path: Path, image: np.ndarray) -> None:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise RuntimeError(f"cannot encode {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.tobytes())
    os.replace(tmp, path)


def _build(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / STAMP_NAME).unlink(missing_ok=True)
    manifest: dict = {"version": CACHE_VERSION, "frame_size": list(FRAME_SIZE), "photos": {}}
    for photo in PHOTOS:
        src_path = source_photo(photo)
        src = cv2.imread(str(src_path), cv2.IMREAD_COLOR)
        if src is None:
            raise RuntimeError(f"cannot read {src_path}")
        geo = _detect_geometry(src)
        folder = root / photo
        face_px = FACE_HEIGHT_FRACTION * FRAME_SIZE[1]
        head = _aligned_head(src, geo, face_px)
        _write_jpeg(folder / "enrolled.jpg", _enrolled(_aligned_head(src, geo, ENROLLED_SIZE[0] / 1.45)))
        for i, frame in enumerate(_render_live(head, _SEEDS[photo])):
            _write_jpeg(folder / "live" / f"{i:03d}.jpg", frame)
        for i, frame in enumerate(_render_still(head, _SEEDS[photo])):
            _write_jpeg(folder / "still" / f"{i:03d}.jpg", frame)
        manifest["photos"][photo] = {
            "source": str(src_path),
            "source_face": list(geo.face),
            "source_eyes": [list(e) for e in geo.eyes],
            "enrolled": f"{photo}/enrolled.jpg",
            "live": [f"{photo}/live/{i:03d}.jpg" for i in range(FRAME_COUNT)],
            "still": [f"{photo}/still/{i:03d}.jpg" for i in range(FRAME_COUNT)],
            "blink_frames": list(BLINK_FRAMES),
            "face_height_fraction": FACE_HEIGHT_FRACTION,
        }
    tmp = root / f".manifest.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, root / "manifest.json")
    (root / STAMP_NAME).write_text(STAMP_TEXT, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    cache = ensure_face_cache(Path(args[0]) if args else None)
    print(cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
