"""The rating panel: asked when a service finishes, one rating per ticket, a timeout, its own machine."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from counter.rating_controller import RatingController
from counter_helpers import CounterApp, sign_in
from lobby import queue
from lobby.feed.reader import latest_event_id
from lobby.store.models import Counter, Rating, Staff
from support import SETTLE_MS

LEFT = Qt.MouseButton.LeftButton


def serve_one(qtbot, app: CounterApp, store, cfg) -> int:  # noqa: ANN001
    """Issue a ticket, call it and finish it at the work window; the ticket id."""
    with store.session() as s:
        ticket = queue.issue_ticket(s, cfg, "DD")
    qtbot.mouseClick(app.window.work.action_bar.buttons["next"], LEFT)
    qtbot.waitUntil(lambda: app.controller.view.current is not None and "finish" in {
        a for a, b in app.window.work.action_bar.buttons.items() if b.isEnabled()}, timeout=SETTLE_MS)
    qtbot.mouseClick(app.window.work.action_bar.buttons["finish"], LEFT)
    qtbot.mouseClick(app.window.work.dialog.ok_button, LEFT)
    return ticket.id


def ratings(store) -> list[tuple[int, str, str, int]]:  # noqa: ANN001
    with store.session() as s:
        rows = s.execute(
            select(Rating.ticket_id, Rating.value, Staff.username, Counter.number)
            .join(Staff, Staff.id == Rating.staff_id).join(Counter, Counter.id == Rating.counter_id)
        ).all()
    return [tuple(r) for r in rows]


@pytest.fixture
def work(qtbot, apps) -> CounterApp:  # noqa: ANN001
    app = apps.window(fixed_counter=4)
    sign_in(qtbot, app, "an")
    return app


def test_panel_shows_the_official_and_the_counter(qtbot, apps, work, cfg) -> None:
    panel = apps.panel(4, share=work)
    assert panel.view.officer_name.text() == "Nguyễn Văn An"
    assert panel.view.counter_label.text() == cfg.counter(4).label("vi")  # the name in the config
    assert panel.view.headline.main.text() == "Xin kính chào ông/bà"
    assert panel.view.headline.sub.text() == "Welcome"
    assert not panel.view.button_row.isVisible()


def test_rating_after_finish_is_stored_with_ticket_official_and_counter(qtbot, apps, work, store, cfg) -> None:
    panel = apps.panel(4, share=work)
    with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS) as asked:
        ticket_id = serve_one(qtbot, work, store, cfg)
    assert asked.args == [ticket_id]
    assert panel.view.headline.main.text() == "Ông/bà có hài lòng với cán bộ tiếp nhận?"
    assert panel.view.ticket_label.text() == "Số B001"
    assert [b.text_.main.text() for b in panel.view.buttons.values()] == ["Rất hài lòng", "Hài lòng", "Không hài lòng"]
    assert all(b.isEnabled() for b in panel.view.buttons.values())
    with qtbot.waitSignal(panel.rated, timeout=SETTLE_MS) as rated:
        qtbot.mouseClick(panel.view.buttons["satisfied"], LEFT)
    assert rated.args == [ticket_id, "satisfied"]
    assert panel.view.headline.main.text() == "Cảm ơn ông/bà đã đánh giá!"
    assert not panel.view.button_row.isVisible()
    assert ratings(store) == [(ticket_id, "satisfied", "an", 4)]


def test_a_second_tap_does_not_count_twice(qtbot, apps, work, store, cfg) -> None:
    panel = apps.panel(4, share=work)
    with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS):
        ticket_id = serve_one(qtbot, work, store, cfg)
    stored: list[object] = []
    panel.rated.connect(lambda *a: stored.append(a))
    qtbot.mouseClick(panel.view.buttons["very_satisfied"], LEFT)
    qtbot.mouseClick(panel.view.buttons["not_satisfied"], LEFT)  # the same citizen, or a child, taps again at once
    panel.tap("not_satisfied")
    qtbot.waitUntil(lambda: panel.state == "thanks", timeout=SETTLE_MS)
    qtbot.mouseClick(panel.view.buttons["not_satisfied"], LEFT)  # and again on the thank-you screen
    assert stored == [(ticket_id, "very_satisfied")]
    assert ratings(store) == [(ticket_id, "very_satisfied", "an", 4)]


def test_two_panels_for_one_counter_store_one_rating(qtbot, apps, work, store, cfg) -> None:
    """Two screens at one counter (or a panel restarted): both ask, the first tap wins, both thank."""
    first = apps.panel(4, share=work)
    second = apps.panel(4)  # its own feed and runner: another machine
    with qtbot.waitSignals([first.asked, second.asked], timeout=SETTLE_MS):
        ticket_id = serve_one(qtbot, work, store, cfg)
    first.tap("very_satisfied")
    second.tap("not_satisfied")
    qtbot.waitUntil(lambda: first.state == "thanks" and second.state == "thanks", timeout=SETTLE_MS)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Rating)) == 1
    assert ratings(store)[0][0] == ticket_id


def test_a_rating_made_on_the_other_panel_closes_the_question(qtbot, apps, work, store, cfg) -> None:
    first = apps.panel(4, share=work)
    second = apps.panel(4)
    with qtbot.waitSignals([first.asked, second.asked], timeout=SETTLE_MS):
        serve_one(qtbot, work, store, cfg)
    with qtbot.waitSignal(second.rated, timeout=SETTLE_MS):
        second.tap("satisfied")
    qtbot.waitUntil(lambda: first.state == "thanks", timeout=SETTLE_MS)


def test_unanswered_question_times_out(qtbot, apps, work, store, cfg) -> None:
    panel = apps.panel(4, share=work, timeout_s=0.3)
    # both waits are in place before the question: its 0.3 s may run out before the first wait returns
    with qtbot.waitSignal(panel.timed_out, timeout=SETTLE_MS) as out:
        with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS):
            ticket_id = serve_one(qtbot, work, store, cfg)
    assert out.args == [ticket_id]
    assert panel.state == "idle" and not panel.view.button_row.isVisible()
    assert panel.view.headline.main.text() == "Xin kính chào ông/bà"
    panel.tap("not_satisfied")  # too late: nothing is stored
    with store.session() as s:
        assert queue.rating_of(s, ticket_id) is None


def screens_shown(panel: RatingController) -> list[str]:
    """The thank-you and welcome screens in the order the panel shows them (the view's own verbs still run).

    A 0.2 s thank-you may be over before a wait for ``rated`` returns on a loaded machine, so the
    order is recorded as it happens instead of sampling ``state`` afterwards.
    """
    shown: list[str] = []
    for verb in ("show_thanks", "show_welcome"):
        real = getattr(panel.view, verb)

        def record(real: Callable[[], None] = real, verb: str = verb) -> None:
            shown.append(verb)
            real()

        setattr(panel.view, verb, record)
    return shown


def test_thanks_returns_to_welcome(qtbot, apps, work, store, cfg) -> None:
    panel = apps.panel(4, share=work, thanks_s=0.2)
    with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS):
        serve_one(qtbot, work, store, cfg)
    shown = screens_shown(panel)
    with qtbot.waitSignal(panel.rated, timeout=SETTLE_MS):  # the 0.2 s of thanks start with it
        panel.tap("satisfied")
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=SETTLE_MS)
    assert shown == ["show_thanks", "show_welcome"]
    assert panel.view.headline.main.text() == "Xin kính chào ông/bà"


def test_next_finishes_the_service_and_asks_too(qtbot, apps, work, store, cfg) -> None:
    panel = apps.panel(4, share=work)
    for _ in range(2):
        with store.session() as s:
            queue.issue_ticket(s, cfg, "DD")
    qtbot.mouseClick(work.window.work.action_bar.buttons["next"], LEFT)
    qtbot.waitUntil(lambda: work.controller.view.current is not None and not work.controller.busy, timeout=SETTLE_MS)
    assert panel.state == "idle"  # a call is not a finished service
    with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS):
        qtbot.mouseClick(work.window.work.action_bar.buttons["next"], LEFT)
    assert panel.view.ticket_label.text() == "Số B001"


def test_no_show_and_other_counters_do_not_ask(qtbot, apps, work, store, cfg) -> None:
    panel = apps.panel(4, share=work)
    other = apps.window(fixed_counter=3)
    sign_in(qtbot, other, "binh")
    serve_one(qtbot, other, store, cfg)  # counter 3 finishes: not this panel's business
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DD")
    qtbot.mouseClick(work.window.work.action_bar.buttons["next"], LEFT)
    qtbot.waitUntil(lambda: work.controller.view.current is not None and not work.controller.busy, timeout=SETTLE_MS)
    qtbot.mouseClick(work.window.work.action_bar.buttons["no_show"], LEFT)
    qtbot.waitUntil(lambda: work.controller.view.current is None and not work.controller.busy, timeout=SETTLE_MS)
    latest = latest_event_id(store)
    qtbot.waitUntil(lambda: work.bridge.last_id >= latest and not work.runner.busy(), timeout=SETTLE_MS)
    assert panel.state == "idle"


def test_panel_on_its_own_machine_follows_sign_in_and_out(qtbot, apps, store, cfg) -> None:
    panel = apps.panel(6)  # its own feed, runner and store: nothing shared with the work window
    assert panel.view.officer_name.text() == "" and panel.view.officer_title.main.text() == "Quầy chưa có cán bộ"
    app = apps.window(fixed_counter=6)
    with qtbot.waitSignal(panel.staff_shown, timeout=SETTLE_MS):
        sign_in(qtbot, app, "chi")
    assert panel.view.officer_name.text() == "Lê Minh Chi"
    with qtbot.waitSignal(panel.staff_shown, timeout=SETTLE_MS):
        app.window.work.sign_out_button.click()
    assert panel.view.officer_name.text() == ""


def test_panel_in_english_keeps_vietnamese_second(qtbot, apps, work, store, cfg) -> None:
    panel = apps.panel(4, share=work, lang="en")
    with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS):
        serve_one(qtbot, work, store, cfg)
    assert panel.view.headline.main.text() == "Are you satisfied with the official who served you?"
    assert panel.view.headline.sub.text() == "Ông/bà có hài lòng với cán bộ tiếp nhận?"
    assert panel.view.buttons["not_satisfied"].text_.main.text() == "Not satisfied"
