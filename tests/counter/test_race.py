"""Two counters pressing Next at the same moment get different tickets, and nobody sees an error."""
from __future__ import annotations

from PySide6.QtCore import Qt

from counter_helpers import sign_in
from lobby import queue
from support import SETTLE_MS


def test_two_windows_racing_for_the_same_queue(qtbot, apps, store, cfg) -> None:
    one = apps.window(fixed_counter=1)  # counters 1 and 2 both serve DKKD
    two = apps.window(fixed_counter=2)
    sign_in(qtbot, one, "an")
    sign_in(qtbot, two, "binh")
    rounds = 6
    for _ in range(rounds * 2):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DKKD")
    called: list[str] = []
    for _ in range(rounds):
        before = [one.controller.view.current, two.controller.view.current]
        # both official press Next in the same instant: both calls run at once on their own threads
        qtbot.mouseClick(one.window.work.action_bar.buttons["next"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(two.window.work.action_bar.buttons["next"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda before=before: all(
            not a.controller.busy and a.controller.view.current is not None and a.controller.view.current != b
            for a, b in zip((one, two), before, strict=True)), timeout=SETTLE_MS)
        numbers = [one.controller.view.current.number, two.controller.view.current.number]
        assert numbers[0] != numbers[1]
        called += numbers
        for app in (one, two):
            assert app.window.work.message_level == "info", app.window.work.message.text()
            assert app.window.work.ticket.number.text() == app.controller.view.current.number
    assert sorted(called) == [f"A{i:03d}" for i in range(1, rounds * 2 + 1)]  # each exactly once, none skipped


def test_last_ticket_goes_to_one_counter_the_other_hears_nobody_waits(qtbot, apps, store, cfg) -> None:
    one = apps.window(fixed_counter=1)
    two = apps.window(fixed_counter=2)
    sign_in(qtbot, one, "an")
    sign_in(qtbot, two, "binh")
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DKKD")
    qtbot.mouseClick(one.window.work.action_bar.buttons["next"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(two.window.work.action_bar.buttons["next"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: all(a.window.work.message.text() and not a.controller.busy for a in (one, two))
                    and any(a.controller.view.current is not None for a in (one, two)), timeout=SETTLE_MS)
    got = [a.controller.view.current.number if a.controller.view.current else None for a in (one, two)]
    assert sorted(got, key=str) == ["A001", None]
    for app in (one, two):
        assert app.window.work.message_level == "info"
    loser = one if got[0] is None else two
    assert "Không còn ai chờ" in loser.window.work.message.text()
