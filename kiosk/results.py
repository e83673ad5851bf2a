"""The kiosk's "Nhận kết quả" page: is the citizen's result ready, so that a wait is worth it?

The citizen scans the receipt's barcode or QR code (a USB scanner types into the focused
field and ends with Enter) or types the dossier code on the on-screen keys. The answer
(``lobby.dossiers.kiosk_check``) is shown here, except a ready result: that is an ordinary
ticket and shows on the usual confirmation. A late result gets its ticket, an apology slip
(printed after the ticket, on the printer's own thread) and an alert for the manager.

``ResultsScreen`` is a passive page; ``ResultsFlow`` is the controller's part for it.
"""

from __future__ import annotations

import logging
from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import style as st
from kiosk.style import Style, label_font
from lobby.dossiers.citizen import when_text
from lobby.dossiers.kiosk_check import Outcome, ResultsCheck, check_results
from lobby.dossiers.model import SCAN_MAX
from lobby.dossiers.slip import apology_slip
from lobby.errors import LobbyError, StoreUnavailable
from lobby.i18n import Translator
from lobby_qt.fonts import pixel_font

if TYPE_CHECKING:
    from kiosk.controller import KioskController

log = logging.getLogger(__name__)

t = Translator({
    "results.title": ("Nhận kết quả hồ sơ", "Collect a result"),
    "results.how": ("Quét mã vạch hoặc mã QR trên giấy hẹn trả kết quả, hoặc nhập mã hồ sơ rồi chạm «Kiểm tra»",
                    "Scan the barcode or QR code on your receipt, or type the dossier code and touch \"Check\""),
    "results.check": ("Kiểm tra", "Check"),
    "results.back": ("◀ Quay lại", "◀ Back"),
    "results.clear": ("Xóa", "Clear"),
    "results.busy": ("Đang kiểm tra hồ sơ…", "Checking your dossier…"),
    "results.empty": ("Vui lòng nhập hoặc quét mã hồ sơ.", "Please type or scan the dossier code."),
    "results.code": ("Mã hồ sơ: {code}", "Dossier: {code}"),
    "not_ready.title": ("Hồ sơ chưa có kết quả", "Your result is not ready yet"),
    "not_ready.when": ("Ngày hẹn trả: {when}", "Promised for: {when}"),
    "not_ready.more": ("Ông/bà không cần lấy số chờ hôm nay. Vui lòng quay lại vào ngày hẹn.",
                       "No need to take a ticket today. Please come back on the promised date."),
    "overdue.title": ("Xin lỗi ông/bà: kết quả chưa có đúng hẹn", "We apologise: your result is late"),
    "overdue.when": ("Hẹn trả: {old}. Ngày hẹn mới: {new}", "Promised: {old}. New date: {new}"),
    "overdue.ticket": ("Số thứ tự ưu tiên của ông/bà: {number}", "Your priority ticket: {number}"),
    "overdue.ticket_plain": ("Số thứ tự của ông/bà: {number}", "Your ticket: {number}"),
    "overdue.more": ("Mời ông/bà nhận phiếu xin lỗi và số thứ tự ở khe máy in, rồi đến quầy trả kết quả.",
                     "Please take the apology slip and your ticket from the printer, then go to the results counter."),
    "overdue.no_printer": ("Máy in đang gặp sự cố: xin ghi nhớ ngày hẹn mới; bảo vệ sẽ hỗ trợ ông/bà.",
                           "The printer has a problem: please note the new date; the guard will help you."),
    "returned.title": ("Kết quả của hồ sơ này đã được trả", "This result has already been collected"),
    "returned.when": ("Ngày trả: {when}", "Collected on: {when}"),
    "returned.more": ("Nếu cần hỗ trợ, vui lòng hỏi bảo vệ.", "If you need help, please ask the guard."),
    "unknown.title": ("Không tìm thấy hồ sơ này", "We cannot find this dossier"),
    "unknown.more": ("Vui lòng kiểm tra lại mã trên giấy hẹn, hoặc hỏi bảo vệ để được hướng dẫn. Chưa cấp số thứ tự.",
                     "Please check the code on your receipt, or ask the guard for help. No ticket was issued."),
    "answer.close": ("Chạm vào màn hình để quay lại", "Touch the screen to go back"),
})

KEYS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM.-/")
ENTRY_IDLE_S = 60.0


class _Answer(QWidget):
    tapped = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt name
        self.tapped.emit()
        super().mousePressEvent(event)


class ResultsScreen(QWidget):
    """Two faces: the code entry, and the answer. Signals: ``code_entered(str)``, ``back()``, ``answer_tapped()``."""

    code_entered = Signal(str)
    back = Signal()
    answer_tapped = Signal()

    def __init__(self, style: Style, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("results")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.lang = "vi"
        self.outcome: Outcome | None = None
        self.title, self.how, self.message = QLabel(), QLabel(), QLabel()
        self.message.setObjectName("resultsMessage")
        self.entry = QLineEdit()
        self.entry.setObjectName("resultsEntry")
        self.entry.setMaxLength(SCAN_MAX)  # a QR code may hold a web address; the core finds the code in it
        self.entry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.entry.returnPressed.connect(self._submit)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for row, letters in enumerate(KEYS):
            for col, ch in enumerate(letters):
                self.keys[ch] = self._key(ch, lambda _=False, c=ch: self._type(c))
                grid.addWidget(self.keys[ch], row, col)
        self.back_button = self._key("", self.back.emit)
        self.clear_button = self._key("", self.entry.clear)
        self.erase_button = self._key("⌫", self.entry.backspace)
        self.check_button = self._key("", self._submit)
        self.check_button.setObjectName("checkButton")
        actions = QHBoxLayout()
        for b in (self.back_button, self.clear_button, self.erase_button, self.check_button):
            actions.addWidget(b)
        ask = QWidget()
        ask_box = QVBoxLayout(ask)
        ask_box.addStretch(1)
        for w in (self.title, self.how, self.entry, self.message):
            ask_box.addWidget(w)
        ask_box.addStretch(2)  # the spare height goes here: the keys stay together at the bottom
        ask_box.addLayout(grid)
        ask_box.addLayout(actions)
        self.answer = _Answer()
        self.answer.tapped.connect(self.answer_tapped)
        self.heading, self.number, self.detail, self.hint = QLabel(), QLabel(), QLabel(), QLabel()
        self.number.setObjectName("resultsNumber")
        self.heading.setObjectName("resultsHeading")
        answer_box = QVBoxLayout(self.answer)
        answer_box.addStretch(2)
        for w in (self.heading, self.number, self.detail):
            answer_box.addWidget(w)
        answer_box.addStretch(2)
        answer_box.addWidget(self.hint)
        for label in (self.title, self.how, self.message, self.heading, self.number, self.detail, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        self.faces = QStackedWidget()
        self.faces.addWidget(ask)
        self.faces.addWidget(self.answer)
        QVBoxLayout(self).addWidget(self.faces)
        self.apply_style(style)
        self.set_lang("vi")

    def _key(self, text: str, slot: object) -> QPushButton:
        b = QPushButton(text)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the entry keeps the focus: the scanner types there
        b.clicked.connect(slot)
        return b

    def _type(self, ch: str) -> None:
        self.entry.insert(ch)
        self.entry.setFocus()

    def _submit(self) -> None:
        code = self.entry.text().strip()
        if not code:
            self.show_message(t("results.empty", self.lang), error=True)
            return
        self.code_entered.emit(code)

    def apply_style(self, style: Style) -> None:
        label_font(self.title, style.title_px, bold=True)
        for label in (self.how, self.message, self.hint):
            label_font(label, style.small_px)
        self.entry.setFont(pixel_font(style.px(56), bold=True))
        self.entry.setMinimumHeight(style.px(100))
        for b in (*self.keys.values(), self.back_button, self.clear_button, self.erase_button, self.check_button):
            b.setFont(pixel_font(style.px(40), bold=True))
            b.setMinimumHeight(style.px(120 if style.portrait else 88))
        label_font(self.heading, style.px(58), bold=True)
        label_font(self.number, style.px(170), bold=True)
        label_font(self.detail, style.body_px)
        self.setStyleSheet(
            f"#results {{ background: {st.WHITE}; }} #results QLabel {{ color: {st.INK}; }}"
            f"#results QPushButton {{ background: {st.PAPER}; color: {st.INK}; border: 2px solid {st.GREY};"
            f" border-radius: {style.px(12)}px; }}"
            f"#results #checkButton {{ background: {st.BLUE}; color: {st.WHITE}; }}"
            f"#results #resultsEntry {{ border: 3px solid {st.BLUE}; border-radius: {style.px(12)}px; }}"
            f"#results #resultsNumber {{ color: {st.BLUE_DARK}; }}")

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(t("results.title", lang))
        self.how.setText(t("results.how", lang))
        self.back_button.setText(t("results.back", lang))
        self.clear_button.setText(t("results.clear", lang))
        self.check_button.setText(t("results.check", lang))
        self.hint.setText(t("answer.close", lang))

    def ask(self, lang: str) -> None:
        """The entry, empty and focused (a scan goes straight in)."""
        self.set_lang(lang)
        self.outcome = None
        self.entry.clear()
        self.entry.setEnabled(True)
        self.show_message("")
        self.faces.setCurrentIndex(0)
        self.entry.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.entry.setEnabled(not busy)
        for b in (*self.keys.values(), self.clear_button, self.erase_button, self.check_button):
            b.setEnabled(not busy)
        if busy:
            self.show_message(t("results.busy", self.lang))
        else:
            self.entry.setFocus()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {st.RED if error else st.MUTED};")

    def show_answer(self, outcome: Outcome, heading: str, detail: str, number: str = "",
                    colour: str = st.INK) -> None:
        self.set_busy(False)
        self.outcome = outcome
        self.heading.setText(heading)
        self.heading.setStyleSheet(f"color: {colour};")
        self.number.setText(number)
        self.number.setVisible(bool(number))
        self.detail.setText(detail)
        self.faces.setCurrentIndex(1)

    def answering(self) -> bool:
        return self.faces.currentIndex() == 1


def answer_texts(check: ResultsCheck, tz: tzinfo, lang: str) -> tuple[str, str, str, str]:
    """(heading, detail, big number, colour) for an outcome other than "ready"."""
    d, code = check.dossier, check.code
    lines = [t("results.code", lang, code=code)]
    if check.outcome == Outcome.NOT_READY and d is not None:
        lines += [t("not_ready.when", lang, when=when_text(d.promised_at, tz, lang)), t("not_ready.more", lang)]
        return t("not_ready.title", lang), "\n".join(lines), "", st.ORANGE
    if check.outcome == Outcome.OVERDUE and d is not None and check.ticket is not None:
        new = check.new_promise or d.promised_at
        key = "overdue.ticket" if check.ticket.priority else "overdue.ticket_plain"
        lines += [t("overdue.when", lang, old=when_text(d.first_promised_at, tz, lang), new=when_text(new, tz, lang)),
                  t(key, lang, number=check.ticket.number), t("overdue.more", lang)]
        return t("overdue.title", lang), "\n".join(lines), check.ticket.number, st.RED
    if check.outcome == Outcome.RETURNED and d is not None and d.returned_at is not None:
        lines += [t("returned.when", lang, when=when_text(d.returned_at, tz, lang)), t("returned.more", lang)]
        return t("returned.title", lang), "\n".join(lines), "", st.GREEN
    return t("unknown.title", lang), "\n".join([*lines, t("unknown.more", lang)]), "", st.RED


class ResultsFlow(QObject):
    """The results page's behaviour, beside the kiosk controller (whose runner, printer and pages it uses)."""

    answered = Signal(object)  # ResultsCheck

    def __init__(self, controller: KioskController) -> None:
        super().__init__(controller)
        self.c = controller
        self.screen: ResultsScreen = controller.window.results
        self.service = controller.cfg.dossiers.results_service
        self._busy = False
        self.screen.code_entered.connect(self.check)
        self.screen.back.connect(controller.go_home)
        self.screen.answer_tapped.connect(controller.go_home)
        self._idle = QTimer(self.screen)  # dies with the page, so it never ticks on a closed window
        self._idle.setInterval(1000)
        self._idle.timeout.connect(self._tick)
        self._idle.start()

    def handles(self, service_code: str) -> bool:
        """A tap on the results service opens this page instead of issuing at once."""
        return bool(self.service) and service_code == self.service

    def open(self) -> None:
        self.c._shown()
        self.c.window.show_results(self.c.lang)

    def check(self, raw: str) -> None:
        if self._busy:
            return
        self._busy = True
        self.screen.set_busy(True)
        c, lang = self.c, self.c.lang

        def run() -> ResultsCheck:
            with c.store.session() as s:
                return check_results(s, c.cfg, raw, source=c.name, now=c.now())

        c.runner.run(run, lambda check: self._done(check, lang), self._failed)

    def _done(self, check: ResultsCheck, lang: str) -> None:
        self._busy = False
        c = self.c
        if check.outcome == Outcome.READY and check.ticket is not None:
            c._issued(check.ticket, lang)  # the usual confirmation and ticket
        else:
            heading, detail, number, colour = answer_texts(check, c.cfg.tz, lang)
            if check.outcome == Outcome.OVERDUE and not c.monitor.health.ok:
                detail += "\n" + t("overdue.no_printer", lang)  # the slip cannot print now: the date is on screen
            self.screen.show_answer(check.outcome, heading, detail, number, colour)
            c._shown()
            if check.outcome == Outcome.OVERDUE and check.ticket is not None:
                self._print_late(check, lang)
        self.answered.emit(check)

    def _print_late(self, check: ResultsCheck, lang: str) -> None:
        from kiosk.printing import PrintJob, make_receipt
        from printer_drivers.apology import print_apology

        c, ticket, d = self.c, check.ticket, check.dossier
        assert ticket is not None and d is not None
        c.last_ticket = ticket
        c.monitor.submit(PrintJob(ticket, make_receipt(c.cfg, ticket, lang)))
        slip = apology_slip(
            centre_name=c.cfg.centre.title(lang),
            code=d.code, service_name=d.service_name(lang), received_at=d.received_at,
            first_promised_at=d.first_promised_at, new_promise=check.new_promise or d.promised_at,
            ticket_number=ticket.number, priority=ticket.priority is not None, printed_at=c.now(), tz=c.cfg.tz,
            lang=lang, footer=c.cfg.centre.address)
        factory = c.monitor.factory

        def print_slip() -> object:
            with factory() as printer:
                return print_apology(printer, slip)

        # the printer's own thread, after the ticket: the two never interleave
        c.monitor.runner.run(print_slip, lambda _r: None, lambda exc: self._slip_failed(d.code, lang, exc))
        c.refresh()

    def _slip_failed(self, code: str, lang: str, exc: BaseException) -> None:
        """The new date stays on screen, with a word to note it down (the printer alert tells the guard)."""
        log.warning("apology slip for %s not printed: %s", code, exc)
        if self.c.window.current_page() == "results" and self.screen.answering():
            if t("overdue.no_printer", lang) not in self.screen.detail.text():
                self.screen.detail.setText(self.screen.detail.text() + "\n" + t("overdue.no_printer", lang))
            self.c._shown()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.screen.set_busy(False)
        if isinstance(exc, StoreUnavailable):
            self.c.link.lose(exc)
        elif isinstance(exc, LobbyError):
            self.screen.show_message(exc.message(self.c.lang), error=True)
        else:
            log.error("results check failed", exc_info=exc)
            self.screen.show_message(f"{type(exc).__name__}: {exc}", error=True)

    def _tick(self) -> None:
        """Left alone, the page gives way: the entry after a minute, an answer after the confirmation's time."""
        if self.c.window.current_page() != "results":
            return
        limit = max(2.0 * self.c.cfg.kiosk.idle_home_s, 15.0) if self.screen.answering() else ENTRY_IDLE_S
        if self.c.idle_s() >= limit:
            self.c.go_home()
