"""Camera scenes (docs/vocabulary.md): what the simulated camera sees, as a loop of JPEG frames.

    face:<persona>    a live person: small head motion, one blink per loop (persona face cache)
    photo:<persona>   the same face printed on a card and held up: hand jitter, never a blink
    empty             the wall in front of the kiosk, nobody there
    two-faces         two people in front of the kiosk
    dark              a live person in a dim hall
    document          a printed page (skimage page.png) lying on a desk under the 高拍仪

`face:` and `photo:` scenes take an optional variant that puts the person where the quality checks
should complain: `far`, `close`, `off-centre`, `blurry`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np

from simulators.personas import get_persona
from simulators.personas.faces import FRAME_SIZE, live_frames, still_photo_frames

SIMPLE_SCENES = ("empty", "two-faces", "dark", "document")
PERSONA_SCENES = ("face", "photo")
VARIANTS = ("far", "close", "off-centre", "blurry")
DOCUMENT_FRAMES = 8
JPEG_QUALITY = 88
DARK_PHOTO = "astronaut"  # whose face sits in the dim hall


class SceneError(ValueError):
    """An unknown scene, persona or variant; the message lists what is valid."""


@dataclass(frozen=True)
class Scene:
    kind: str  # face | photo | empty | two-faces | dark | document
    persona: str = ""
    variant: str = ""

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.persona}" if self.persona else self.kind


def parse_scene(text: str, variant: str = "") -> Scene:
    kind, sep, persona = str(text).partition(":")
    variant = variant or ""
    if variant and variant not in VARIANTS:
        raise SceneError(f"unknown variant {variant!r}; valid: {', '.join(VARIANTS)}")
    if kind in PERSONA_SCENES:
        try:
            get_persona(persona)
        except KeyError as exc:
            raise SceneError(f"unknown persona {persona!r} in scene {text!r}") from exc
        return Scene(kind, persona, variant)
    if kind in SIMPLE_SCENES and not sep:
        if variant:
            raise SceneError(f"variants apply to face:/photo: scenes only, not {kind!r}")
        return Scene(kind)
    raise SceneError(f"unknown scene {text!r}; valid: face:<persona>, photo:<persona>, "
                     + ", ".join(SIMPLE_SCENES))


# ---------------------------------------------------------------- image helpers


def encode(frame: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def _read(path: Path) -> np.ndarray:
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if img is None:
        raise FileNotFoundError(f"cannot read frame {path}")
    return img


def _affine(frame: np.ndarray, scale: float, centre: tuple[float, float], shift: tuple[float, float]) -> np.ndarray:
    m = cv2.getRotationMatrix2D(centre, 0, scale)
    m[0, 2] += shift[0]
    m[1, 2] += shift[1]
    return cv2.warpAffine(frame, m, (frame.shape[1], frame.shape[0]), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)


def apply_variant(frame: np.ndarray, variant: str) -> np.ndarray:
    """Move the person so that one quality check fails (the frames put the face at the centre)."""
    h, w = frame.shape[:2]
    centre = (w / 2, h * 0.47)
    if variant == "far":
        # smaller about the face; the wall fills the edges and the body continues below the frame
        # the wall: each row's colour at the frame's left edge (keeps the light gradient)
        wall = np.repeat(frame[:, :4].mean(axis=1, keepdims=True), w, axis=1).astype(np.uint8)
        m = cv2.getRotationMatrix2D(centre, 0, 0.5)
        out = cv2.warpAffine(frame, m, (w, h), dst=wall.copy(), flags=cv2.INTER_AREA,
                             borderMode=cv2.BORDER_TRANSPARENT)
        bottom = int(centre[1] + (h - centre[1]) * 0.5) - 1
        left, right = int(w / 4) + 1, int(3 * w / 4) - 1
        out[bottom:, left:right] = out[bottom - 1, left:right]
        return out
    if variant == "close":
        return _affine(frame, 1.9, centre, (0, 0.03 * h))
    if variant == "off-centre":
        return _affine(frame, 1.0, centre, (0.25 * w, 0))
    if variant == "blurry":  # the resident moved, or stands inside the focus distance
        return cv2.GaussianBlur(frame, (0, 0), 3.0)
    return frame


def _noise(frame: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    noisy = frame.astype(np.float32) + rng.normal(0, sigma, frame.shape).astype(np.float32)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _room(rng: np.random.Generator) -> np.ndarray:
    """The hall behind the kiosk: a painted wall with a notice board and a door frame."""
    w, h = FRAME_SIZE
    wall = np.empty((h, w, 3), np.float32)
    wall[:] = (190, 198, 204)
    wall *= np.linspace(1.04, 0.92, h, dtype=np.float32)[:, None, None]
    wall[int(h * 0.82):] = (120, 132, 140)  # skirting / floor
    cv2.rectangle(wall, (60, 90), (250, 300), (70, 110, 150), -1)  # cork board
    for i, y in enumerate(range(110, 290, 30)):
        cv2.rectangle(wall, (75 + (i % 2) * 10, y), (235, y + 18), (235, 235, 235), -1)
    cv2.rectangle(wall, (430, 60), (590, int(h * 0.82)), (95, 120, 150), 8)  # door frame
    return _noise(np.clip(wall, 0, 255).astype(np.uint8), rng, 2.0)


# ---------------------------------------------------------------- document


def page_path() -> Path:
    import skimage

    return Path(os.path.dirname(skimage.__file__)) / "data" / "page.png"


@cache
def paper_sheet() -> np.ndarray:
    """skimage's page.png printed on a sheet with white margins (BGR): the ground truth page.
    Shared: do not modify the returned array."""
    page = cv2.imread(str(page_path()), cv2.IMREAD_COLOR)
    if page is None:
        raise FileNotFoundError(f"cannot read {page_path()} (install the dev extra: scikit-image)")
    page = cv2.resize(page, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
    paper = int(np.percentile(page, 90))
    mx, my = int(page.shape[1] * 0.08), int(page.shape[0] * 0.12)
    return cv2.copyMakeBorder(page, my, my, mx, mx, cv2.BORDER_CONSTANT, value=(paper, paper, paper))


# Where the sheet's corners land in the 640×480 frame: a page lying slightly askew, seen from above
# at an angle (top edge further away, so shorter). Order: top-left, top-right, bottom-right, bottom-left.
DOCUMENT_CORNERS = np.array([[118, 92], [548, 120], [590, 380], [70, 352]], dtype=np.float32)


def _desk(rng: np.random.Generator) -> np.ndarray:
    """A dark wooden desk: brown with a grain along x."""
    w, h = FRAME_SIZE
    grain = rng.normal(0, 1, (h, 1)).astype(np.float32)
    grain = cv2.GaussianBlur(grain, (1, 31), 0) * 60
    desk = np.empty((h, w, 3), np.float32)
    desk[:] = (45, 70, 105)
    desk += grain[:, :, None] * np.array([0.3, 0.5, 0.8], np.float32)
    return np.clip(desk, 0, 255)


def document_frame(rng: np.random.Generator, jitter: float = 0.0, corners: np.ndarray | None = None) -> np.ndarray:
    """The sheet on the desk with its corners (TL, TR, BR, BL) at `corners` (default DOCUMENT_CORNERS)
    plus `jitter` pixels of hand/desk wobble."""
    sheet = paper_sheet().astype(np.float32)
    sh, sw = sheet.shape[:2]
    src = np.array([[0, 0], [sw - 1, 0], [sw - 1, sh - 1], [0, sh - 1]], dtype=np.float32)
    base = DOCUMENT_CORNERS if corners is None else np.asarray(corners, np.float32)
    dst = base + rng.normal(0, jitter, base.shape).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    w, h = FRAME_SIZE
    warped = cv2.warpPerspective(sheet, matrix, (w, h), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(np.ones((sh, sw), np.float32), matrix, (w, h), flags=cv2.INTER_LINEAR)
    # the lamp is to the upper left: the page is brighter there
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1.05 - 0.18 * (xx / w + yy / h) / 2
    frame = _desk(rng) * (1 - alpha[..., None]) + warped * alpha[..., None] * light[..., None]
    return _noise(np.clip(frame, 0, 255).astype(np.uint8), rng, 1.5)


# ---------------------------------------------------------------- scenes → frames


def _person_frames(kind: str, photo: str) -> list[Path]:
    return live_frames(photo) if kind == "face" else still_photo_frames(photo)


def _two_faces(rng: np.random.Generator) -> list[np.ndarray]:
    left, right = live_frames("astronaut"), live_frames("grace_hopper")
    w, h = FRAME_SIZE
    out = []
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        frame = _room(rng).astype(np.float32)
        for path, x0 in ((a, 0), (b, w // 2)):
            person = _read(path)
            keep = int(w / 2 / 0.62)  # the middle of the frame, so each person fits half the width
            person = person[:, (w - keep) // 2:(w + keep) // 2]
            person = cv2.resize(person, None, fx=0.62, fy=0.62, interpolation=cv2.INTER_AREA)
            ph, pw = person.shape[:2]
            y0, xs = h - ph, x0 + (w // 2 - pw) // 2
            frame[y0:y0 + ph, xs:xs + pw] = person
        out.append(_noise(frame.astype(np.uint8), rng, 1.0) if i % 2 else frame.astype(np.uint8))
    return out


def _dark(rng: np.random.Generator) -> list[np.ndarray]:
    out = []
    for path in live_frames(DARK_PHOTO):
        dim = _read(path).astype(np.float32) * 0.16 + 4  # a dim hall: little light, sensor noise
        out.append(_noise(np.clip(dim, 0, 255).astype(np.uint8), rng, 3.0))
    return out


def scene_frames(scene: Scene) -> list[bytes]:
    """The scene's loop of JPEG frames (640×480), rendered once per scene switch."""
    rng = np.random.default_rng(2024)
    if scene.kind in PERSONA_SCENES:
        paths = _person_frames(scene.kind, get_persona(scene.persona).face_photo)
        if not scene.variant:  # the face cache is already JPEG: serve it as it is
            return [p.read_bytes() for p in paths]
        return [encode(apply_variant(_read(p), scene.variant)) for p in paths]
    if scene.kind == "empty":
        return [encode(_room(rng)) for _ in range(4)]
    if scene.kind == "two-faces":
        return [encode(f) for f in _two_faces(rng)]
    if scene.kind == "dark":
        return [encode(f) for f in _dark(rng)]
    if scene.kind == "document":
        return [encode(document_frame(rng, jitter=0.6)) for _ in range(DOCUMENT_FRAMES)]
    raise SceneError(f"unknown scene {scene.name!r}")

