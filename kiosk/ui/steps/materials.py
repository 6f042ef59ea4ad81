"""Step `materials`: each material of the item, one per page, provided the way the resident can.

The ways come from kiosk/services/materials.py (the guide lists the same): an e-licence of the
material's type (trust level shown; A/B stand in for the paper: 免提交), a signed 告知承诺 (its
catalogue text in full, then a finger signature, kept as PNG), 容缺 (brought to the window within
`missing_due_days` working days), or a photo on the document camera (the driver finds and
straightens the page; preview, 重新拍照). A material with no way at this kiosk is said plainly: it
goes to the window after the submission. A conditional material may be 不需要.

Nothing is uploaded here: the acceptance number exists only after the submission. The result (a list
of `Provided`, with the captured JPEG / signature PNG) stays in the Session until the submit step
sends it (`materials.declarations`, `materials.uploads`) or the session is wiped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.services import catalogue_text, guide, messages
from kiosk.services import materials as mat
from kiosk.ui.i18n import current, shown, tr
from kiosk.ui.signature_pad import SignaturePad
from kiosk.ui.steps import register
from kiosk.ui.steps.base import StepContext, StepScreen
from kiosk.ui.widgets import PageStack, button, label, option_button, touch_scroll

LEVELS = {"A": tr("A级：发证机关签发，可直接使用"), "B": tr("B级：已核验，可直接使用"),
          "C": tr("C级：本人上传，需到窗口核验原件"), "D": tr("D级：本人制作，需到窗口核验原件")}


def _panel() -> tuple[QWidget, QVBoxLayout]:
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(16)
    return w, lay


class MaterialPage(QWidget):
    """One material: what it is, and a big button per way of providing it."""

    chose = Signal(object)  # a mat.Provided, or a str: "commitment" / "capture" (a panel to open)

    def __init__(self, material: Mapping[str, Any], hardware: list[str], licences: list[dict[str, Any]] | None,
                 window: str, item: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.material = material
        name = material["name"]  # what the submission names; the screen shows shown(item, name)
        self.shown_name = shown(item, name)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(14)
        line = guide.material_line(material, hardware)  # the guide's own line: in 繁 as on the guide
        lay.addWidget(label(catalogue_text.to_hk(line) if current() == "zh_HK" else line, "body"))
        self.error = label("", "error")
        self.chosen = label("", "subtitle")
        grid = QGridLayout()
        grid.setSpacing(16)
        self.options: list[Any] = []
        ways = mat.ways(material, hardware)

        def add(text: str, what: Any) -> None:
            b = option_button(text)
            b.clicked.connect(lambda _=False, w=what: self.chose.emit(w))
            grid.addWidget(b, len(self.options), 0)
            self.options.append(b)

        if "elicence" in ways:
            mine = mat.usable_licences(material, licences or [])
            kind = shown(item, material.get("elicence_type") or "") or tr("电子证照")
            for e in mine:
                level = e.get("trust_level", "")
                if level in mat.USABLE_LEVELS:
                    add(tr("使用电子证照：{type}（{level}级，免提交）").format(type=shown(item, e["type"]), level=level),
                        mat.Provided(name, "elicence", licence_id=e["licence_id"],
                                     label=tr("电子证照 {type}（{level}级，免提交）").format(type=shown(item, e["type"]),
                                                                                level=level)))
                else:  # listed, with why it cannot stand in
                    lay.addWidget(label(tr("您的{type}：{level}，不能代替纸质材料。").format(
                        type=shown(item, e["type"]), level=tr(LEVELS[level]) if level in LEVELS else level), "hint"))
            if not any(e.get("trust_level") in mat.USABLE_LEVELS for e in mine):
                lay.addWidget(label(messages.text("materials.no_licence", kind=kind), "hint"))
        if "commitment" in ways:
            add(tr("签署告知承诺书代替"), "commitment")
        if "missing" in ways:
            days = int(material.get("missing_due_days") or 20)
            add(tr("容缺受理：先办理，{days} 个工作日内到窗口补交").format(days=days),
                mat.Provided(name, "missing", due_days=days, label=tr("容缺：{days} 个工作日内到窗口补交").format(days=days)))
        if "capture" in ways:
            add(tr("用高拍仪拍照上传"), "capture")
        if material.get("condition"):
            add(tr("不需要（{condition}）").format(condition=shown(item, material["condition"])),
                mat.Provided(name, "not_needed", label=tr("不需要")))
        if not self.options or (not [w for w in ways if w != "elicence"]
                                and not any(e.get("trust_level") in mat.USABLE_LEVELS
                                            for e in mat.usable_licences(material, licences or []))):
            lay.addWidget(label(messages.text("materials.window", name=self.shown_name, window=window), "body"))
            add(tr("知道了，提交后到窗口提交"), mat.Provided(name, "window", label=tr("提交后到窗口提交")))
        lay.addLayout(grid)
        lay.addWidget(self.chosen)
        lay.addWidget(self.error)
        lay.addStretch(1)

    def show_choice(self, provided: mat.Provided | None) -> None:
        self.chosen.setText(tr("已选择：{choice}").format(choice=provided.label) if provided else "")
        self.error.setText("")
        for b in self.options:
            b.setChecked(False)


@register
class MaterialsScreen(StepScreen):
    name = "materials"
    progress = Signal(str)  # a camera prompt's message code, from the camera's worker thread

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter = label("", "hint")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self.counter)
        self.stack = PageStack()
        self.body.addWidget(self.stack, 1)
        self.pages_host = PageStack()
        self.stack.addWidget(self.pages_host)
        self._build_capture()
        self._build_commitment()
        self._build_sign()
        self.previous = self.add_button(tr("上一份"))
        self.next = self.add_button(tr("下一份"), "primary")
        self.previous.clicked.connect(lambda: self._turn(-1))
        self.next.clicked.connect(self._next)
        self.progress.connect(self._on_progress)
        self.pages: list[MaterialPage] = []
        self.provided: dict[str, mat.Provided] = {}
        self.index = 0
        self._scan: Any = None  # the running camera command

    # ---- the panels ---------------------------------------------------------------------------
    def _build_capture(self) -> None:
        self.capture, lay = _panel()
        self.capture_status = label("", "subtitle")
        self.capture_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.capture_status)
        self.preview = label("", "picture")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setAccessibleName(tr("拍照预览"))
        lay.addWidget(self.preview, 1)
        row = QGridLayout()
        self.retake = button(tr("重新拍照"))
        self.use_photo = button(tr("使用这张照片"), "primary")
        self.capture_back = button(tr("返回"))
        for i, b in enumerate((self.capture_back, self.retake, self.use_photo)):
            row.addWidget(b, 0, i)
        lay.addLayout(row)
        self.retake.clicked.connect(self._start_scan)
        self.use_photo.clicked.connect(self._use_photo)
        self.capture_back.clicked.connect(self._back_to_page)
        self.stack.addWidget(self.capture)
        self._photo: bytes | None = None

    def _build_commitment(self) -> None:
        self.commitment, lay = _panel()
        self.commitment_title = label("", "subtitle")
        lay.addWidget(self.commitment_title)
        self.commitment_text = label("", "body")
        self.commitment_text.setAccessibleName(tr("告知承诺书全文"))
        box, box_lay = _panel()
        box_lay.addWidget(self.commitment_text)
        box_lay.addStretch(1)
        lay.addWidget(touch_scroll(box), 1)
        row = QGridLayout()
        back = button(tr("返回"))
        agree = button(tr("我已阅读，同意并签名"), "primary")
        row.addWidget(back, 0, 0)
        row.addWidget(agree, 0, 1)
        lay.addLayout(row)
        back.clicked.connect(self._back_to_page)
        agree.clicked.connect(lambda: self._show_panel(self.sign))
        self.stack.addWidget(self.commitment)

    def _build_sign(self) -> None:
        self.sign, lay = _panel()
        lay.addWidget(label(tr("请用手指在下面框内签上您的姓名"), "subtitle"))
        self.pad = SignaturePad()
        lay.addWidget(self.pad, 1)
        self.sign_error = label("", "error")
        lay.addWidget(self.sign_error)
        row = QGridLayout()
        back = button(tr("返回"))
        clear = button(tr("清除重签"))
        ok = button(tr("确认签名"), "primary")
        for i, b in enumerate((back, clear, ok)):
            row.addWidget(b, 0, i)
        lay.addLayout(row)
        back.clicked.connect(lambda: self._show_panel(self.commitment))
        clear.clicked.connect(self.pad.clear)
        self.pad.changed.connect(lambda: self.sign_error.setText(""))
        ok.clicked.connect(self._signed)
        self.stack.addWidget(self.sign)

    # ---- the step -----------------------------------------------------------------------------
    def enter(self, ctx: StepContext) -> None:
        super().enter(ctx)
        self._clear()
        wanted = any(m.get("elicence") for m in ctx.item.get("materials") or [])
        token = ctx.session.platform_token
        if wanted and token and "elicences" not in ctx.results:
            def store(licences: Any) -> None:
                ctx.results["elicences"] = list(licences or [])
                self._build(ctx)

            def without(exc: Exception) -> None:  # the other ways still work; the page says none found
                ctx.results["elicences"] = []
                self._build(ctx)

            ctx.run(lambda: ctx.services.elicences(token), store, without, busy=tr("正在查询您的电子证照，请稍候……"))
            return
        self._build(ctx)

    def _build(self, ctx: StepContext) -> None:
        self._clear()
        hardware = list(ctx.item.get("hardware") or [])
        body = ctx.item.get("implementing_body") or {}
        window_name = shown(ctx.item, body["name"]) if body.get("name") else tr("办理窗口")
        window = f"{window_name}（{shown(ctx.item, body.get('address', ''))}）".replace("（）", "")
        earlier = {p.name: p for p in ctx.results.get("materials") or []}
        for material in mat.asked(ctx.item):  # not what a bundle member makes itself (shared_from)
            page = MaterialPage(material, hardware, ctx.results.get("elicences"), window, ctx.item)
            page.chose.connect(self._chose)
            page.holder = touch_scroll(page)  # a long material text scrolls in 长者模式, never clips
            self.pages_host.addWidget(page.holder)
            self.pages.append(page)
            if material["name"] in earlier:
                self.provided[material["name"]] = earlier[material["name"]]
                page.show_choice(earlier[material["name"]])
        self._show_page(0)

    def _clear(self) -> None:
        self._cancel_scan()
        for page in self.pages:
            self.pages_host.removeWidget(page.holder)
            page.holder.deleteLater()
        self.pages, self.provided, self.index, self._photo = [], {}, 0, None
        self.pad.clear()
        self.preview.clear()

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentWidget(self.pages_host)
        if not self.pages:
            self.title.setText(tr("本事项无需提交材料"))
            self.counter.setText("")
            self.previous.setVisible(False)
            self.next.setText(tr("确定"))
            return
        self.index = index
        page = self.pages[index]
        self.pages_host.setCurrentWidget(page.holder)
        self.title.setText(tr("请提供：{name}").format(name=page.shown_name))
        self.counter.setText(tr("第 {n} 份材料，共 {total} 份").format(n=index + 1, total=len(self.pages)))
        self.previous.setVisible(index > 0)
        self.next.setVisible(True)
        self.next.setText(tr("确定") if index == len(self.pages) - 1 else tr("下一份"))

    def _show_panel(self, panel: QWidget) -> None:
        self.stack.setCurrentWidget(panel)
        self.previous.setVisible(False)
        self.next.setVisible(False)
        if panel is self.sign:
            self.title.setText(tr("请签名"))

    def _back_to_page(self) -> None:
        self._cancel_scan()
        self._show_page(self.index)

    def _turn(self, step: int) -> None:
        self._show_page(max(0, min(len(self.pages) - 1, self.index + step)))

    def _next(self) -> None:
        if self.pages:
            page = self.pages[self.index]
            if page.material["name"] not in self.provided:
                page.error.setText(messages.text("materials.choose", name=page.shown_name))
                return
            if self.index + 1 < len(self.pages):
                self._turn(1)
                return
        self.done.emit([self.provided[p.material["name"]] for p in self.pages])

    def _chose(self, what: Any) -> None:
        page = self.pages[self.index]
        if what == "commitment":
            self.commitment_title.setText(tr("告知承诺书：{name}").format(name=page.shown_name))
            self.commitment_text.setText(shown(self.ctx.item if self.ctx else None, page.material.get("commitment_text") or ""))
            self.title.setText(tr("请阅读告知承诺书全文"))
            self.pad.clear()
            self._show_panel(self.commitment)
        elif what == "capture":
            self.title.setText(tr("拍照上传：{name}").format(name=page.shown_name))
            self._show_panel(self.capture)
            self._start_scan()
        else:
            self._record(what)

    def _record(self, provided: mat.Provided) -> None:
        self.provided[provided.name] = provided
        self.pages[self.index].show_choice(provided)
        self._show_page(self.index)

    # ---- 告知承诺: the signature ------------------------------------------------------------
    def _signed(self) -> None:
        if self.pad.empty:
            self.sign_error.setText(messages.text("materials.sign_first"))
            return
        name = self.pages[self.index].material["name"]
        self._record(mat.Provided(name, "commitment", content=self.pad.to_png(), content_type="image/png",
                                  label=tr("已签署告知承诺书")))
        self.pad.clear()

    # ---- the document camera ------------------------------------------------------------------
    def _start_scan(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        self._cancel_scan()
        self._photo = None
        self.preview.clear()
        self.use_photo.setEnabled(False)
        self.retake.setEnabled(False)
        camera = ctx.devices.get("camera")
        if camera is None:
            self.capture_status.setText(messages.text("camera.unavailable"))
            self.retake.setEnabled(True)
            return
        self.capture_status.setText(messages.text("camera.document.no_page"))
        self._scan = camera.scan_document(on_progress=self.progress.emit)
        scan = self._scan
        ctx.run(lambda: scan.wait(), self._scanned, self._scan_failed)

    def _on_progress(self, code: str) -> None:
        if self._scan is not None:
            self.capture_status.setText(messages.text(code))

    def _scanned(self, scan: Any) -> None:
        self._scan = None
        self._photo = bytes(scan.jpeg)
        pixmap = QPixmap()
        pixmap.loadFromData(self._photo, "JPG")
        box = self.preview.size()
        self.preview.setPixmap(pixmap.scaled(max(200, box.width()), max(200, box.height()),
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))
        self.capture_status.setText(tr("请核对照片：字迹清楚、四边完整就点「使用这张照片」。"))
        self.use_photo.setEnabled(True)
        self.retake.setEnabled(True)

    def _scan_failed(self, exc: Exception) -> None:
        self._scan = None
        self.capture_status.setText(messages.text("materials.scan_failed"))
        self.retake.setEnabled(True)

    def _use_photo(self) -> None:
        if self._photo is None:
            return
        name = self.pages[self.index].material["name"]
        self._record(mat.Provided(name, "capture", content=self._photo, content_type="image/jpeg",
                                  label=tr("已用高拍仪拍照")))
        self._photo = None
        self.preview.clear()

    def _cancel_scan(self) -> None:
        if self._scan is not None:
            self._scan.cancel()
            self._scan = None

    # ---- the contract -------------------------------------------------------------------------
    def leave(self) -> None:
        self._cancel_scan()

    def prompt(self) -> str:
        if self.stack.currentWidget() is self.sign:
            return tr("请用手指在框内签名。")
        if self.stack.currentWidget() is self.capture:
            return tr("请把材料平放在高拍仪下方。")
        if not self.pages:
            return tr("本事项无需提交材料。")
        return tr("请选择如何提供{name}。").format(name=self.pages[self.index].shown_name)

    def clear_personal_data(self) -> None:
        super().clear_personal_data()
        self._clear()
        self.commitment_text.setText("")
