"""While a citizen is being served, "Kết thúc" is the most prominent action; otherwise "Gọi số tiếp"."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from counter.actions import ActionBar
from lobby.staffing.desk import enabled_actions
from lobby.vocabulary import CounterState, TicketState


def test_finish_leads_while_serving_and_next_leads_otherwise(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    bar = ActionBar(host, host)
    for status, lead in ((None, "next"), (TicketState.CALLED, "next"), (TicketState.SERVING, "finish")):
        bar.set_enabled(enabled_actions(status, CounterState.OPEN))
        prominent = [a for a, b in bar.buttons.items() if b.prominent]
        assert prominent == [lead], status
        others = [b.name.font().pixelSize() for a, b in bar.buttons.items() if a != lead]
        assert bar.buttons[lead].name.font().pixelSize() > max(others)
