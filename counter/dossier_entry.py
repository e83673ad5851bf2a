"""Dossiers at the counter, keyboard only: F10 receives a dossier, F11 marks results ready,
Ctrl+F11 records a result handed over.

F10 (after serving, or while serving): the code (typed, or scanned: the USB scanner types
into the focused field and ends with Enter), the service (that of the visit's ticket) and
the promised date, which defaults to the service's processing time in working days
(``lobby.dossiers``) and can be changed with the date picker (Tab, then the arrow keys or
typing; Alt+Down opens the calendar). Enter records it; the dialog stays open for the
visit's next dossier; Escape closes it.

F11: each code scanned or typed, ending with Enter, is marked "result ready". Ctrl+F11 (at the
results counter): each code is recorded as handed over to the citizen.
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lobby.clock import utcnow
from lobby.config import CentreConfig
from lobby.dossiers import records
from lobby.dossiers.model import SCAN_MAX, DossierInfo, code_from_scan
from lobby.i18n import Translator
from lobby_qt.feed_bridge import describe
from lobby_qt.fonts import pixel_font

if TYPE_CHECKING:
    from counter.controller import CounterController
    from counter.work import WorkScreen

RECEIVE_KEY, READY_KEY, RETURNED_KEY = "F10", "F11", "Ctrl+F11"
MODES = (("receive", RECEIVE_KEY), ("ready", READY_KEY), ("returned", RETURNED_KEY))

t = Translator({
    "receive.title": ("Tiếp nhận hồ sơ", "Receive a dossier"),
    "ready.title": ("Hồ sơ đã có kết quả", "Results ready"),
    "returned.title": ("Trả kết quả cho công dân", "Results handed over"),
    "code": ("Mã hồ sơ (quét hoặc gõ, rồi Enter)", "Dossier code (scan or type, then Enter)"),
    "service": ("Lĩnh vực", "Field"),
    "promised": ("Ngày hẹn trả", "Promised date"),
    "ticket": ("Số thứ tự của lượt này", "Ticket of this visit"),
    "no_ticket": ("(không có)", "(none)"),
    "days": ("{days} ngày làm việc, lúc {time}", "{days} working days, at {time}"),
    "hint_receive": ("Enter: ghi nhận · Tab: đổi ngày hẹn · Esc: đóng",
                     "Enter: record · Tab: change the date · Esc: close"),
    "hint_ready": ("Quét từng mã, mỗi mã kết thúc bằng Enter · Esc: đóng",
                   "Scan each code, each ending with Enter · Esc: close"),
    "received": ("Đã tiếp nhận {code} · hẹn trả {when}", "Received {code} · promised {when}"),
    "marked": ("Đã đánh dấu có kết quả: {code}", "Marked ready: {code}"),
    "handed": ("Đã trả kết quả: {code}", "Handed over: {code}"),
    "hint_returned": ("Quét mã trên giấy hẹn của công dân, rồi Enter · Esc: đóng",
                      "Scan the code on the citizen's receipt, then Enter · Esc: close"),
    "empty": ("Nhập hoặc quét mã hồ sơ trước.", "Type or scan the dossier code first."),
    "record": ("Ghi nhận (Enter)", "Record (Enter)"),
    "close": ("Đóng (Esc)", "Close (Esc)"),
    "button.receive": ("Tiếp nhận hồ sơ", "Receive dossier"),
    "button.ready": ("Có kết quả", "Result ready"),
    "button.returned": ("Đã trả kết quả", "Handed over"),
})


class DossierDialog(QDialog):
    """``mode`` "receive", "ready" or "returned". Emits ``submitted(code, service, promised date)``; stays open."""

    submitted = Signal(str, str, object)

    def __init__(self, cfg: CentreConfig, mode: str, lang: str, parent: QWidget | None = None, *,
                 service: str | None = None, ticket: str | None = None, now: datetime | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.mode, self.lang = cfg, mode, lang
        self.now = now or utcnow()
        self.setObjectName("dossierDialog")
        self.setWindowTitle(t(f"{mode}.title", lang))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setFont(pixel_font(20))
        self.setMinimumWidth(640)
        box = QVBoxLayout(self)
        heading = QLabel(t(f"{mode}.title", lang), self)
        heading.setFont(pixel_font(28, bold=True))
        box.addWidget(heading)
        form = QFormLayout()
        self.code = QLineEdit(self)
        self.code.setObjectName("dossierCode")
        self.code.setMaxLength(SCAN_MAX)  # a QR code may hold a web address (code_from_scan)
        self.code.setFont(pixel_font(26, bold=True))
        self.code.setMinimumHeight(56)
        self.code.setMinimumWidth(520)
        self.code.returnPressed.connect(self._submit)
        form.addRow(t("code", lang), self.code)
        self.service = QComboBox(self)
        self.promised = QDateEdit(self)
        self.promised.setCalendarPopup(True)
        self.promised.setDisplayFormat("dd/MM/yyyy")
        self.promised.setMinimumHeight(44)
        self.service.setMinimumHeight(44)
        self.days = QLabel(self)
        if mode == "receive":
            for sc in cfg.services:
                if sc.code != cfg.dossiers.results_service:
                    self.service.addItem(f"{sc.code} · {sc.name(lang)}", sc.code)
            index = self.service.findData(service) if service else -1
            self.service.setCurrentIndex(max(index, 0))
            self.service.currentIndexChanged.connect(self._default_date)
            form.addRow(t("service", lang), self.service)
            form.addRow(t("promised", lang), self.promised)
            form.addRow("", self.days)
            form.addRow(t("ticket", lang), QLabel(ticket or t("no_ticket", lang), self))
            self._default_date()
        else:
            self.service.hide()
            self.promised.hide()
        box.addLayout(form)
        self.message = QLabel(self)
        self.message.setObjectName("dossierMessage")
        self.message.setWordWrap(True)
        self.message.setFont(pixel_font(20, bold=True))
        box.addWidget(self.message)
        hint = QLabel(t(f"hint_{mode}", lang), self)
        hint.setStyleSheet("color: #546e7a;")
        box.addWidget(hint)
        buttons = QHBoxLayout()
        self.ok_button = QPushButton(t("record", lang), self)
        self.ok_button.clicked.connect(self._submit)
        close = QPushButton(t("close", lang), self)
        close.clicked.connect(self.reject)
        for b in (self.ok_button, close):
            b.setMinimumHeight(52)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(b)
        box.addLayout(buttons)
        self.code.setFocus()

    def _default_date(self) -> None:
        code = self.service.currentData()
        if not code:
            return
        promise = records.default_promise(self.cfg, code, self.now).astimezone(self.cfg.tz)
        self.promised.setDate(QDate(promise.year, promise.month, promise.day))
        today = self.now.astimezone(self.cfg.tz).date()
        self.promised.setMinimumDate(QDate(today.year, today.month, today.day))
        self.days.setText(t("days", self.lang, days=self.cfg.dossiers.days_for(code), time=f"{promise:%H:%M}"))
        self._default_time = promise.time()

    def promised_at(self) -> datetime:
        """The picked date, at the service's usual time of day (its promise's time)."""
        d = self.promised.date()
        at = getattr(self, "_default_time", None) or self.cfg.dossiers.due_time or time(16, 0)
        return datetime.combine(date(d.year(), d.month(), d.day()), at, tzinfo=self.cfg.tz)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.promised.hasFocus():
            self._submit()  # Enter on the date records too (no mouse needed)
            return
        super().keyPressEvent(event)

    def _submit(self) -> None:
        code = code_from_scan(self.code.text())
        if not code:
            self.show_result(t("empty", self.lang), error=True)
            return
        self.code.setEnabled(False)
        promised = self.promised_at() if self.mode == "receive" else None
        self.submitted.emit(code, self.service.currentData() or "", promised)

    def show_result(self, text: str, *, error: bool = False) -> None:
        """After a try: the outcome in green (the code cleared for the next one) or the error in red."""
        self.code.setEnabled(True)
        if not error:
            self.code.clear()
        else:
            self.code.selectAll()
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {'#b3261e' if error else '#1b5e20'};")
        self.code.setFocus()


class DossierEntry(QObject):
    """Adds F10 / F11 (and two buttons) to the work screen; runs the store calls through the controller's runner."""

    recorded = Signal(object)  # DossierInfo

    def __init__(self, work: WorkScreen, controller: CounterController) -> None:
        super().__init__(work)
        self.work, self.c = work, controller
        self.dialog: DossierDialog | None = None
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for mode, key in MODES:
            b = QPushButton(work)
            b.setObjectName(f"dossier_{mode}")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setMinimumHeight(44)
            b.setFont(pixel_font(18, bold=True))
            b.clicked.connect(lambda _=False, m=mode: self.open(m))
            row.addWidget(b)
            self.buttons[mode] = b
            sc = QShortcut(QKeySequence(key), work)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.setAutoRepeat(False)
            sc.activated.connect(lambda m=mode: self.open(m))
        row.addStretch(1)
        layout = work.layout()
        if isinstance(layout, QVBoxLayout):
            layout.addLayout(row)
        controller.signed_in.connect(lambda _s: self.retranslate(work.lang))
        controller.signed_out.connect(lambda _r: self.close())
        work.lang_toggled.connect(lambda: self.retranslate(work.lang))
        self.retranslate(work.lang)

    def retranslate(self, lang: str) -> None:
        for mode, key in MODES:
            self.buttons[mode].setText(f"{t('button.' + mode, lang)} ({key})")

    def close(self) -> None:
        if self.dialog is not None:
            try:
                self.dialog.reject()
            except RuntimeError:  # already deleted
                pass
        self.dialog = None

    def open(self, mode: str) -> None:
        c = self.c
        if c.staff is None or c.counter is None or not self.work.isVisible():
            return
        if (self.dialog is not None and self.dialog.isVisible()) or (
                self.work.dialog is not None and self.work.dialog.isVisible()):
            return
        lang, counter, cfg, store = self.work.lang, c.counter, c.cfg, c.store
        if mode != "receive":
            self._show(DossierDialog(cfg, mode, lang, self.work), None)
            return

        def find() -> records.Visit | None:
            with store.session() as s:
                return records.visit_ticket(s, cfg, counter)

        c.runner.run(find, lambda visit: self._show(DossierDialog(
            cfg, "receive", lang, self.work, service=visit.service if visit else None,
            ticket=visit.number if visit else None), visit), lambda exc: c.message.emit(
            "error", lambda lg, e=exc: describe(e, lg)))

    def _show(self, dialog: DossierDialog, visit: records.Visit | None) -> None:
        self.dialog = dialog
        dialog.submitted.connect(lambda code, service, promised: self._submit(dialog, visit, code, service, promised))
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        dialog.code.setFocus()

    def _closed(self, dialog: DossierDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.work.window().activateWindow()

    def _submit(self, dialog: DossierDialog, visit: records.Visit | None, code: str, service: str,
                promised: datetime | None) -> None:
        c, cfg, store, lang = self.c, self.c.cfg, self.c.store, dialog.lang
        staff_id = c.staff.id if c.staff else None
        actor = c.staff.username if c.staff else "counter"
        counter = c.counter

        def work() -> DossierInfo:
            with store.session() as s:
                if dialog.mode == "ready":
                    return records.mark_ready(s, cfg, [code], actor=actor, staff_id=staff_id)[0]
                if dialog.mode == "returned":
                    return records.mark_returned(s, cfg, code, actor=actor, staff_id=staff_id, counter=counter)
                return records.receive(s, cfg, code, service, promised=promised,
                                       ticket_id=visit.ticket_id if visit else None, staff_id=staff_id,
                                       counter=counter, actor=actor)

        def done(d: DossierInfo) -> None:
            when = d.promised_at.astimezone(cfg.tz).strftime("%H:%M %d/%m/%Y")
            key = {"ready": "marked", "returned": "handed"}.get(dialog.mode, "received")
            dialog.show_result(t(key, lang, code=d.code, when=when))
            self.recorded.emit(d)

        def failed(exc: BaseException) -> None:
            dialog.show_result(describe(exc, lang), error=True)

        c.runner.run(work, done, failed)
