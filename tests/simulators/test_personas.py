"""The synthetic persona registry and the derived face-frame cache."""

from __future__ import annotations

import re
from datetime import date

import pytest

from simulators.personas import (
    by_eid_token,
    by_id_number,
    get_persona,
    id_check_digit,
    load_personas,
)

PERSONAS = load_personas()
ALL = list(PERSONAS.values())
IDS = list(PERSONAS)

# Widths in characters (UCS-2: 2 bytes each) of the 256-byte text block, docs/device-protocols.md §1.
RESIDENT_WIDTHS = {"name": 15, "address": 35, "id_number": 18, "authority": 15}
J_WIDTHS = {**RESIDENT_WIDTHS, "pass_number": 9, "issue_count": 2}
I_WIDTHS = {"english_name": 60, "id_number": 15, "nationality": 3, "name": 15, "authority": 4}
Y_WIDTHS = {"name": 15, "issue_count": 2, "english_name": 35 + 11, "id_number": 18, "nationality": 3}
WIDTHS = {"resident": RESIDENT_WIDTHS, "J": J_WIDTHS, "I": I_WIDTHS, "Y": Y_WIDTHS}


def test_registry_size():
    assert len(PERSONAS) >= 8


def test_check_digit_known_values():
    # the standard textbook example and an X check digit
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44020419420308002") == "8"
    with pytest.raises(ValueError):
        id_check_digit("1234")


def test_lookup_helpers():
    p = get_persona("chen_guiying")
    assert by_id_number(p.id_number) is p
    assert by_id_number(p.id_number.lower() + " ") is p
    assert by_eid_token(p.eid_token) is p
    assert by_id_number("000000000000000000") is None
    assert by_eid_token("EID1.nothing") is None
    with pytest.raises(KeyError, match="chen_guiying"):
        get_persona("nobody")


def test_load_is_cached_and_immutable():
    assert load_personas()["li_jianguo"] is PERSONAS["li_jianguo"]
    with pytest.raises(AttributeError):
        PERSONAS["li_jianguo"].name = "x"  # type: ignore[misc]


def test_required_cases():
    chen = get_persona("chen_guiying")
    assert (chen.name, chen.sex_code, chen.nation_code, chen.layout) == ("陈桂英", "2", "01", "resident")
    assert chen.birth.year < 1950 and chen.elderly and chen.valid_to == "长期"
    assert chen.sscard is not None and chen.face_photo == "astronaut"

    li = get_persona("li_jianguo")
    assert (li.name, li.sex_code, li.birth.year, li.face_photo) == ("李建国", "1", 1968, "grace_hopper")
    assert li.sscard is not None

    huang = get_persona("huang_xiaomei")
    assert huang.sex_code == "2" and huang.birth.year == 1991 and len(huang.address) == 35

    lan = get_persona("lan_yan")
    assert lan.nation_code == "22" and "\u4dae" in lan.name and lan.face_photo == "grace_hopper"

    wong = get_persona("wong_kaming")
    assert wong.layout == "J" and wong.id_number.startswith("810000")
    assert (wong.pass_number, wong.issue_count, wong.sex_code) == ("H60123456", "01", "1")

    john = get_persona("john_smith")
    assert john.layout == "I" and john.english_name == "SMITH JOHN" and john.name == "约翰史密斯"
    assert john.nationality == "GBR" and len(john.id_number) == 15 and john.authority == "1500"
    assert re.fullmatch(r"[A-Z]{3}\d{12}", john.id_number) and john.id_number.startswith("GBR")

    tanaka = get_persona("tanaka_yuki")
    assert tanaka.layout == "Y" and tanaka.nationality == "JPN" and tanaka.issue_count == "00"
    assert len(tanaka.id_number) == 18 and tanaka.id_number[0] == "9"
    assert tanaka.id_number[3:6] == "392"  # GB/T 2659 numeric code of JPN

    zhou = get_persona("zhou_zhiqiang")
    assert zhou.valid_to.startswith("2021") and zhou.card_expired(date.today())

    he = get_persona("he_shuifa")
    assert he.elderly and he.appended_address and he.valid_to == "长期" and he.sscard is not None


def test_case_coverage():
    assert any(p.elderly and p.birth.year < 1950 for p in ALL)
    assert {p.layout for p in ALL} == {"resident", "J", "I", "Y"}
    assert any(p.address and len(p.address) == 35 for p in ALL)
    assert any(any(0x3400 <= ord(c) <= 0x4DBF for c in p.name) for p in ALL)
    assert any(p.valid_to == "长期" for p in ALL)
    assert any(p.card_expired(date.today()) for p in ALL)
    assert any(not p.card_expired(date.today()) for p in ALL)
    assert {p.face_photo for p in ALL} == {"astronaut", "grace_hopper"}


@pytest.mark.parametrize("pid", IDS)
def test_id_number_consistent(pid):
    p = PERSONAS[pid]
    if p.layout == "I":
        # 2017 permit number: 3-letter nationality + 12 digits; the birth date YYMMDD sits at 5..11
        assert p.id_number[:3] == p.nationality
        assert p.id_number[5:11] == p.birth.strftime("%y%m%d")
        return
    n = p.id_number
    assert len(n) == 18 and n[:17].isdigit()
    assert n[17] == id_check_digit(n[:17])
    assert n[6:14] == p.birth.strftime("%Y%m%d")
    if p.layout == "J":
        assert n[:6] in ("810000", "820000", "830000")
    elif p.layout == "resident":
        assert n[:4] == "4402"
    assert int(n[16]) % 2 == (1 if p.sex_code == "1" else 0)  # 17th digit odd = male


@pytest.mark.parametrize("pid", IDS)
def test_field_widths_and_encoding(pid):
    p = PERSONAS[pid]
    for field, width in WIDTHS[p.layout].items():
        value = getattr(p, field)
        assert value is not None, f"{pid}.{field} is required on a {p.layout} card"
        assert len(value) <= width, f"{pid}.{field} longer than {width}"
    if p.appended_address is not None:
        assert len(p.appended_address) <= 35
    for value in (p.name, p.english_name, p.address, p.appended_address, p.authority):
        if value:
            assert all(ord(c) <= 0xFFFF for c in value), "UCS-2 holds only the BMP"
            value.encode("utf-16-le")
    if p.layout == "resident":
        assert p.nation_code and len(p.nation_code) == 2 and p.nationality is None
    if p.layout in ("I", "Y"):
        assert p.nationality and re.fullmatch(r"[A-Z]{3}", p.nationality) and p.nation_code is None
        assert p.english_name and p.english_name.isascii() and p.address is None
    else:
        assert p.english_name is None and p.address
    if p.layout != "J":
        assert p.pass_number is None
    assert p.id.isascii() and re.fullmatch(r"[a-z_]+", p.id)
    assert re.fullmatch(r"1[3-9]\d{9}", p.phone)


@pytest.mark.parametrize("pid", IDS)
def test_validity_period_realistic(pid):
    p = PERSONAS[pid]
    start = date.fromisoformat(p.valid_from)
    assert p.birth < start
    age_at_issue = p.age(start)
    if p.valid_to == "长期":
        assert p.layout == "resident" and age_at_issue >= 46
        return
    end = date.fromisoformat(p.valid_to)
    assert (end.month, end.day) == (start.month, start.day)
    years = end.year - start.year
    if p.layout == "resident":
        expected = 5 if age_at_issue < 16 else 10 if age_at_issue < 26 else 20
        assert age_at_issue < 46 and years == expected
    elif p.layout == "J":
        assert years == 5
    else:
        assert years == (10 if age_at_issue >= 18 else 5)


def test_eid_tokens_unique_and_opaque():
    tokens = [p.eid_token for p in ALL]
    assert len(set(tokens)) == len(tokens)
    for t in tokens:
        assert re.fullmatch(r"EID1\.[A-Z2-7]{40}", t)


@pytest.mark.parametrize("pid", [p.id for p in ALL if p.sscard])
def test_sscard(pid):
    p = PERSONAS[pid]
    c = p.sscard
    assert re.fullmatch(r"[A-Z]\d{8}", c.card_number)
    assert len(c.card_identifier) == 16 and c.card_identifier[:6] == c.region_code
    assert (c.card_type, c.spec_version) == ("1", "3.00")
    assert len(c.issuing_institution) == 12 and c.issuing_institution.startswith(c.region_code)
    assert re.fullmatch(r"4402\d\d", c.region_code) and re.fullmatch(r"\d{6}", c.birthplace)
    assert date.fromisoformat(c.issue_date) < date.fromisoformat(c.expiry_date)
    # EF06 tag 09: the name is GBK, 30 bytes
    assert len(p.name.encode("gbk")) <= 30
    assert p.layout == "resident"


def test_ext_a_persona_has_no_sscard_because_gbk_cannot_hold_it():
    lan = get_persona("lan_yan")
    with pytest.raises(UnicodeEncodeError):
        lan.name.encode("gbk")
    assert lan.name.encode("gb18030") == "蓝".encode("gbk") + b"\xfe\x9f"
    assert lan.sscard is None


def test_card_expired_boundaries():
    zhou = get_persona("zhou_zhiqiang")
    assert not zhou.card_expired(date(2021, 8, 9))
    assert zhou.card_expired(date(2021, 8, 10))
    assert not get_persona("chen_guiying").card_expired(date(2200, 1, 1))


# ---------------------------------------------------------------- face-frame cache

cv2 = pytest.importorskip("cv2")
np = pytest.importorskip("numpy")

from simulators.personas import faces  # noqa: E402

HAAR = cv2.data.haarcascades
FACE = cv2.CascadeClassifier(HAAR + "haarcascade_frontalface_default.xml")
EYES = [
    cv2.CascadeClassifier(HAAR + n) for n in ("haarcascade_eye.xml", "haarcascade_eye_tree_eyeglasses.xml")
]


def _gray(path):
    img = cv2.imread(str(path))
    assert img is not None, path
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def _faces(gray):
    return FACE.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=5, minSize=(80, 80))


def _eye_count(gray, face, scale=1.1, neighbours=5):
    """Eyes in the upper 60 % of the face box, the most either eye cascade finds."""
    x, y, w, h = face
    roi = gray[y : y + int(h * 0.6), x : x + w]
    return max(len(c.detectMultiScale(roi, scale, neighbours)) for c in EYES)


@pytest.fixture(scope="module")
def cache():
    return faces.ensure_face_cache()


def test_source_photos_come_from_installed_packages():
    assert faces.source_photo("astronaut").name == "astronaut.png"
    assert faces.source_photo("grace_hopper").name == "grace_hopper.jpg"
    assert "skimage" in faces.source_photo("astronaut").parts
    with pytest.raises(KeyError, match="astronaut"):
        faces.source_photo("mona_lisa")


def test_face_cache_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv("KIOSK_FACE_CACHE", str(tmp_path / "f"))
    assert faces.face_cache_dir() == tmp_path / "f"
    monkeypatch.delenv("KIOSK_FACE_CACHE")
    assert faces.face_cache_dir().parts[-3:] == ("var", "cache", "faces")


def test_cache_layout(cache):
    assert cache.name == f"v{faces.CACHE_VERSION}"
    assert (cache / "STAMP").read_text(encoding="utf-8") == faces.STAMP_TEXT
    for photo in faces.PHOTOS:
        enrolled = cv2.imread(str(faces.enrolled_face(photo)))
        assert enrolled.shape == (240, 200, 3)
        for frames in (faces.live_frames(photo), faces.still_photo_frames(photo)):
            assert len(frames) == faces.FRAME_COUNT
            for p in frames:
                assert p.parent.parent == cache / photo
                assert cv2.imread(str(p)).shape == (480, 640, 3)
        assert faces.blink_frames(photo) == list(faces.BLINK_FRAMES)
    for persona in ALL:
        assert faces.enrolled_face(persona.face_photo).exists()


def test_cache_is_idempotent_and_fast(cache):
    import time

    stamp = (cache / "STAMP").stat().st_mtime_ns
    t = time.perf_counter()
    faces._built.clear()  # force the on-disk check, not the in-process memo
    assert faces.ensure_face_cache() == cache
    assert time.perf_counter() - t < 1.0
    assert (cache / "STAMP").stat().st_mtime_ns == stamp


def test_blink_frames_are_consecutive():
    blink = faces.BLINK_FRAMES
    assert len(blink) >= 2 and list(blink) == list(range(blink[0], blink[-1] + 1))
    assert 0 < blink[0] and blink[-1] < faces.FRAME_COUNT - 1


@pytest.mark.parametrize("photo", faces.PHOTOS)
def test_live_frames_one_centred_face_with_motion(cache, photo):
    centres = []
    for path in faces.live_frames(photo):
        gray = _gray(path)
        for variant in (gray, cv2.equalizeHist(gray)):
            assert len(_faces(variant)) == 1, f"{path.name}: want exactly one face"
        x, y, w, h = _faces(gray)[0]
        assert 0.38 <= h / 480 <= 0.55, f"{path.name}: face height {h}px"
        cx, cy = x + w / 2, y + h / 2
        assert abs(cx - 320) < 40 and abs(cy - 240) < 50
        centres.append((cx, cy))
    spread = np.ptp(np.array(centres), axis=0)
    assert spread.max() > 2, "a live head moves a little"
    assert spread.max() < 40, "…but only a little"


@pytest.mark.parametrize("photo", faces.PHOTOS)
def test_live_frames_eyes_open_then_blink(cache, photo):
    open_counts, blink_counts, loose_open, loose_blink = [], [], [], []
    for i, path in enumerate(faces.live_frames(photo)):
        gray = _gray(path)
        face = _faces(gray)[0]
        loose = _eye_count(gray, face, 1.05, 3)
        if i in faces.BLINK_FRAMES:
            # eyes shut: no eye for the usual and for a looser detector setting
            for scale, neighbours in ((1.1, 5), (1.1, 3), (1.2, 3)):
                n = _eye_count(gray, face, scale, neighbours)
                assert n == 0, f"{path.name}: {n} eyes in a blink frame ({scale}, {neighbours})"
            blink_counts.append(0)
            loose_blink.append(loose)
        else:
            n = _eye_count(gray, face)
            assert n >= 1, f"{path.name}: no open eye found"
            open_counts.append(n)
            loose_open.append(loose)
    assert len(blink_counts) == len(faces.BLINK_FRAMES)
    # a very loose detector (step 1.05, 3 neighbours) may fire on hair or spectacles, but less often
    assert np.mean(loose_blink) < np.mean(loose_open)


@pytest.mark.parametrize("photo", faces.PHOTOS)
def test_still_photo_frames_card_held_up_without_blink(cache, photo):
    centres = []
    for path in faces.still_photo_frames(photo):
        gray = _gray(path)
        found = _faces(gray)
        assert len(found) == 1, path.name
        assert _eye_count(gray, found[0]) >= 1, f"{path.name}: a photo never blinks"
        x, y, w, h = found[0]
        centres.append((x + w / 2, y + h / 2))
        # the card's edge: a large convex quadrilateral inside the frame
        edges = cv2.Canny(cv2.GaussianBlur(gray, (5, 5), 0), 30, 90)
        contours, _ = cv2.findContours(cv2.dilate(edges, None), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        card = max(contours, key=cv2.contourArea)
        bx, by, bw, bh = cv2.boundingRect(card)
        assert 0.15 < bw * bh / (640 * 480) < 0.9
        assert bx > 0 and by > 0 and bx + bw < 640, "the whole card edge is visible"
        assert bx < x and x + w < bx + bw, "the face lies inside the card"
    spread = np.ptp(np.array(centres), axis=0)
    assert 0 < spread.max() < 12, "hand jitter only"


def test_enrolled_faces_differ_and_contain_a_face(cache):
    a, b = (_gray(faces.enrolled_face(p)) for p in faces.PHOTOS)
    assert np.mean(np.abs(a.astype(int) - b.astype(int))) > 20
    for img in (a, b):
        assert len(FACE.detectMultiScale(img, 1.1, 5, minSize=(60, 60))) == 1


def test_personas_pair_for_a_mismatch():
    by_photo = {p.face_photo for p in ALL}
    assert by_photo == set(faces.PHOTOS)


def test_cli_prints_cache_path(cache):
    import os
    import subprocess
    import sys

    env = {**os.environ, "KIOSK_FACE_CACHE": str(cache.parent)}
    out = subprocess.run(
        [sys.executable, "-m", "simulators.personas.faces"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert out.stdout.strip() == str(cache)
