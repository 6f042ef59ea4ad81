"""Document mode (高拍仪): skimage's page.png on a desk comes out straight, upright and readable."""

from __future__ import annotations

import itertools

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from kiosk.devices.document_scan import (
    DocumentNotFound,
    encode_jpeg,
    enhance,
    find_page,
    order_corners,
    rectify,
    scan_document,
)
from kiosk.devices.model import Completion
from kiosk.services import messages
from simulators.camera.scenes import (
    DOCUMENT_CORNERS,
    _desk,
    document_frame,
    paper_sheet,
)
from tests.devices.camera_frames import frames


def ncc(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised cross-correlation of two grey images of the same size."""
    a = a.astype(np.float64) - a.mean()
    b = b.astype(np.float64) - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def truth_like(result: np.ndarray, trim: float = 0.01) -> np.ndarray:
    """The ground-truth sheet, enhanced and trimmed the same way, at the result's size."""
    sheet = cv2.cvtColor(paper_sheet(), cv2.COLOR_BGR2GRAY)
    t = int(round(trim * min(sheet.shape)))
    truth = enhance(sheet[t:-t, t:-t])
    return cv2.resize(truth, (result.shape[1], result.shape[0]), interpolation=cv2.INTER_AREA)


@pytest.fixture(scope="module")
def desk_frame() -> np.ndarray:
    return document_frame(np.random.default_rng(7), jitter=0.6)


def test_finds_the_page_outline_in_the_document_scene(desk_frame):
    corners = find_page(desk_frame)
    assert corners is not None
    assert np.abs(corners - DOCUMENT_CORNERS).max() < 4.0


def test_the_page_comes_out_straight_and_readable(desk_frame):
    scan = scan_document(desk_frame)
    page = scan.image
    assert page.ndim == 2 and page.shape[1] > page.shape[0]  # landscape, like the sheet
    truth = truth_like(page)
    assert ncc(page, truth) > 0.85
    # a page still tilted by even 2° matches the truth much worse: the high score means straight
    h, w = page.shape
    tilted = cv2.warpAffine(page, cv2.getRotationMatrix2D((w / 2, h / 2), 2.0, 1.0), (w, h),
                            borderMode=cv2.BORDER_REPLICATE)
    assert ncc(tilted, truth) < ncc(page, truth) - 0.1
    # readable: white paper, dark text, and the text is a small share of the page
    ink = (page < 128).mean()
    assert np.median(page) > 200 and 0.02 < ink < 0.25


def test_the_result_is_a_jpeg_of_the_page(desk_frame):
    scan = scan_document(desk_frame)
    decoded = cv2.imdecode(np.frombuffer(scan.jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert scan.jpeg[:2] == b"\xff\xd8" and decoded.shape == scan.image.shape
    assert ncc(decoded, scan.image) > 0.98


def test_without_enhancement_the_colour_page_is_kept(desk_frame):
    from kiosk.devices.document_scan import ScanSettings

    scan = scan_document(desk_frame, ScanSettings(enhance=False))
    assert scan.image.ndim == 3


def _face_frame() -> np.ndarray:
    return frames("face:chen_guiying")[0]


@pytest.mark.parametrize("frame_maker", [
    lambda: _desk(np.random.default_rng(1)).astype(np.uint8),  # the empty desk
    lambda: np.full((480, 640, 3), 40, np.uint8),  # lens covered
    lambda: np.full((480, 640, 3), 230, np.uint8),  # over-exposed
    _face_frame,  # someone in front of the camera
], ids=["desk", "dark", "white", "face"])
def test_no_page_in_view_is_a_user_error_with_guidance(frame_maker):
    with pytest.raises(DocumentNotFound) as info:
        scan_document(frame_maker())
    assert info.value.completion is Completion.USER_ERROR
    assert info.value.code == "camera.document.no_page"
    assert "请把材料平放" in messages.for_error(info.value)


def test_a_portrait_page_comes_out_portrait():
    # the same sheet turned a quarter: its top-left corner is now at the bottom-left of the frame
    corners = np.array([[190, 440], [160, 30], [420, 20], [450, 450]], np.float32)
    frame = document_frame(np.random.default_rng(3), corners=corners)
    found = find_page(frame)
    assert found is not None
    page = scan_document(frame).image
    assert page.shape[0] > page.shape[1]
    upright = cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE)  # turned back it matches the sheet
    assert ncc(upright, truth_like(upright)) > 0.8


# no shrinking: each example renders a frame; a failure prints its inputs anyway
@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.filter_too_much])
@given(angle=st.floats(-25, 25), scale=st.floats(0.6, 0.95), dx=st.floats(-40, 40), dy=st.floats(-30, 30),
       tilt=st.floats(-0.12, 0.12))
def test_any_reasonable_placement_is_found_and_straightened(angle, scale, dx, dy, tilt):
    sheet = paper_sheet()
    sh, sw = sheet.shape[:2]
    half = np.array([[-sw, -sh], [sw, -sh], [sw, sh], [-sw, sh]], np.float32) / 2 * scale * 0.8
    half[:2, 0] *= 1 - tilt  # the far edge looks shorter (camera looking down at an angle)
    rot = cv2.getRotationMatrix2D((0, 0), angle, 1.0)[:, :2].astype(np.float32)
    corners = half @ rot.T + np.array([320 + dx, 240 + dy], np.float32)
    assume(corners.min() > 10 and corners[:, 0].max() < 630 and corners[:, 1].max() < 470)  # all in view
    frame = document_frame(np.random.default_rng(0), corners=corners)
    found = find_page(frame)
    assert found is not None
    assert np.abs(found - order_corners(corners)).max() < 5.0
    page = scan_document(frame).image
    # small pages lose fine detail in resampling; compare the layout (lines, words) not the pixels
    soft = lambda img: cv2.GaussianBlur(img, (0, 0), 1.5)  # noqa: E731
    assert ncc(soft(page), soft(truth_like(page))) > 0.8


@settings(max_examples=60, deadline=None)
@given(perm=st.permutations(range(4)), angle=st.floats(-44, 44))
def test_corner_order_does_not_depend_on_input_order(perm, angle):
    square = np.array([[-100, -60], [100, -60], [100, 60], [-100, 60]], np.float32)
    rot = cv2.getRotationMatrix2D((0, 0), angle, 1.0)[:, :2].astype(np.float32)
    pts = square @ rot.T + 300
    ordered = order_corners(pts[list(perm)])
    np.testing.assert_allclose(ordered, order_corners(pts))
    tl, tr, br, bl = ordered
    assert tl[0] < tr[0] and bl[0] < br[0] and tl[1] < bl[1] and tr[1] < br[1]


def test_a_diamond_is_ordered_by_angle():
    diamond = np.array([[300, 100], [400, 200], [300, 300], [200, 200]], np.float32)
    for perm in itertools.permutations(range(4)):
        assert len({tuple(p) for p in order_corners(diamond[list(perm)]).tolist()}) == 4


def test_rectify_keeps_proportions_and_limits_size():
    img = np.zeros((1000, 2000, 3), np.uint8)
    corners = np.array([[0, 0], [1999, 0], [1999, 999], [0, 999]], np.float32)
    out = rectify(img, corners, max_side=800)
    assert out.shape[1] == 800 and abs(out.shape[0] - 400) <= 1


def test_encode_jpeg_round_trip():
    img = np.tile(np.arange(256, dtype=np.uint8), (64, 1))
    data = encode_jpeg(img, 95)
    assert ncc(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE), img) > 0.99
