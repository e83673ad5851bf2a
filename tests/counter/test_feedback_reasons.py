"""The reasons step of the rating panel, with real widgets offscreen: several reasons, a limit, a time-out.

With ``LOBBY_SCREENSHOTS=DIR`` the step is saved as ``feedback-panel-reasons.png`` there.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from counter.rating_reasons import ReasonsFlow
from counter_helpers import sign_in
from lobby.config.feedback import FeedbackConfig
from lobby.store.models import Rating, RatingReason
from support import SETTLE_MS, SETTLE_S
from test_rating import serve_one

LEFT = Qt.MouseButton.LeftButton


def stored(store) -> dict[int, tuple[str, list[str]]]:  # noqa: ANN001
    with store.read_session() as s:
        rows = s.execute(select(Rating.ticket_id, Rating.value)).all()
        reasons = s.execute(select(RatingReason.ticket_id, RatingReason.reason)).all()
    return {tid: (value, sorted(r for t, r in reasons if t == tid)) for tid, value in rows}


def test_several_reasons_after_not_satisfied_within_the_limit(qtbot, apps, store, cfg) -> None:  # noqa: ANN001
    work = apps.window(fixed_counter=4)
    sign_in(qtbot, work, "an")
    panel = apps.panel(4, share=work)
    panel.view.resize(1024, 600)
    flow = ReasonsFlow(cfg, store, work.runner, panel, timeout_s=SETTLE_S)
    with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS):
        ticket = serve_one(qtbot, work, store, cfg)
    with qtbot.waitSignal(flow.opened, timeout=SETTLE_MS):
        qtbot.mouseClick(panel.view.buttons["not_satisfied"], LEFT)
    step = flow.step
    assert step.isVisible() and step.title.text().startswith("Ông/bà chưa hài lòng vì điều gì?")
    assert [b.label_text() for b in step.buttons][:2] == ["Chờ lâu", "Thái độ chưa tốt"]
    assert not step.send_button.isEnabled()  # nothing ticked yet
    by_code = {b.code: b for b in step.buttons}
    for code in ("long_wait", "attitude", "other"):
        qtbot.mouseClick(by_code[code], LEFT)
    assert not by_code["unclear_guidance"].isEnabled()  # three is the demo's limit
    qtbot.mouseClick(by_code["other"], LEFT)  # untick one: the others may be chosen again
    assert by_code["unclear_guidance"].isEnabled()
    if os.environ.get("LOBBY_SCREENSHOTS"):
        panel.view.grab().save(str(Path(os.environ["LOBBY_SCREENSHOTS"]) / "feedback-panel-reasons.png"))
    with qtbot.waitSignal(flow.closed, timeout=SETTLE_MS):  # in place before the thank-you's time can run out
        with qtbot.waitSignal(flow.stored, timeout=SETTLE_MS) as sent:
            qtbot.mouseClick(step.send_button, LEFT)
        assert sent.args == [ticket, ["long_wait", "attitude"]]
        assert "Cảm ơn ông/bà đã góp ý!" in step.message.text()
    assert not step.isVisible()
    assert stored(store) == {ticket: ("not_satisfied", ["attitude", "long_wait"])}


def test_time_out_keeps_what_was_ticked_and_closes_empty_steps(qtbot, apps, store, cfg) -> None:  # noqa: ANN001
    work = apps.window(fixed_counter=4)
    sign_in(qtbot, work, "an")
    panel = apps.panel(4, share=work)
    flow = ReasonsFlow(cfg, store, work.runner, panel, timeout_s=1, thanks_s=0.2)

    def tick_long_wait(_ticket: int) -> None:
        """Ticked as the step opens, before its 1 s can run out however slow the machine (the first step only)."""
        flow.opened.disconnect(tick_long_wait)
        qtbot.mouseClick(next(b for b in flow.step.buttons if b.code == "long_wait"), LEFT)

    flow.opened.connect(tick_long_wait)
    with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS):
        first = serve_one(qtbot, work, store, cfg)
    with qtbot.waitSignal(flow.stored, timeout=SETTLE_MS) as sent:  # nobody pressed "Gửi": the time ran out
        with qtbot.waitSignal(flow.opened, timeout=SETTLE_MS):
            qtbot.mouseClick(panel.view.buttons["not_satisfied"], LEFT)
    assert sent.args == [first, ["long_wait"]]
    qtbot.waitUntil(lambda: not flow.step.isVisible(), timeout=SETTLE_MS)

    with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS):
        second = serve_one(qtbot, work, store, cfg)
    with qtbot.waitSignal(flow.closed, timeout=SETTLE_MS) as closed:  # in place before the 1 s can run out
        with qtbot.waitSignal(flow.opened, timeout=SETTLE_MS):
            qtbot.mouseClick(panel.view.buttons["satisfied"], LEFT)  # the demo asks after "Hài lòng" too
        assert flow.step.title.text().startswith("Điều gì có thể tốt hơn?")
    assert closed.args == [second] and not flow.step.isVisible()
    assert stored(store) == {first: ("not_satisfied", ["long_wait"]), second: ("satisfied", [])}


def test_no_step_when_the_config_does_not_ask(qtbot, apps, store, cfg) -> None:  # noqa: ANN001
    only_unhappy = cfg.model_copy(update={"feedback": FeedbackConfig.model_validate(
        {**cfg.feedback.model_dump(), "reasons_after": ["not_satisfied"]})})
    work = apps.window(fixed_counter=4)
    sign_in(qtbot, work, "an")
    panel = apps.panel(4, share=work)
    flow = ReasonsFlow(only_unhappy, store, work.runner, panel, timeout_s=30)
    opened: list[int] = []
    flow.opened.connect(opened.append)
    with qtbot.waitSignal(panel.asked, timeout=SETTLE_MS):
        ticket = serve_one(qtbot, work, store, cfg)
    with qtbot.waitSignal(panel.rated, timeout=SETTLE_MS):
        qtbot.mouseClick(panel.view.buttons["very_satisfied"], LEFT)
    assert opened == [] and not flow.step.isVisible()
    assert stored(store) == {ticket: ("very_satisfied", [])}
