"""The priority policy: priority first, but a flood of priority tickets never starves an older ordinary one."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lobby import queue
from lobby.config import CentreConfig, PriorityPolicy
from lobby.queue.call_order import class_to_call, streak_after
from lobby.reports.demo_simulation import Simulation
from lobby.store.engine import Store

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2026, 3, 2, 8, 0, tzinfo=HCM)


def _issue(store: Store, cfg: CentreConfig, minute: int, code: str = "DKKD", priority: str | None = None) -> str:
    with store.session() as s:
        return queue.issue_ticket(s, cfg, code, priority=priority, now=START + timedelta(minutes=minute)).number


def _calls(store: Store, cfg: CentreConfig, counter: int, n: int) -> list[str]:
    out = []
    for i in range(n):
        with store.session() as s:
            t = queue.call_next(s, cfg, counter, now=START + timedelta(hours=1, minutes=i))
        if t is None:
            break
        out.append(t.number)
    return out


def with_cap(cfg: CentreConfig, cap: int) -> CentreConfig:
    return cfg.model_copy(update={"priority_policy": PriorityPolicy(max_consecutive=cap)})


def test_flood_of_priority_lets_the_older_ordinary_ticket_through_after_three(store: Store, cfg: CentreConfig) -> None:
    cfg = with_cap(cfg, 3)
    ordinary = [_issue(store, cfg, 0), _issue(store, cfg, 1)]  # A001, A002
    flood = [_issue(store, cfg, 2 + i, priority="elderly") for i in range(10)]
    called = _calls(store, cfg, 1, 12)
    assert called == flood[:3] + ordinary[:1] + flood[3:6] + ordinary[1:] + flood[6:]


def test_priority_goes_first_when_no_older_ordinary_waits(store: Store, cfg: CentreConfig) -> None:
    cfg = with_cap(cfg, 3)
    p = [_issue(store, cfg, i, priority="pregnant") for i in range(5)]
    late = _issue(store, cfg, 10)
    assert _calls(store, cfg, 1, 6) == p + [late]


def test_the_cap_is_per_counter_and_across_its_services(store: Store, cfg: CentreConfig) -> None:
    cfg = with_cap(cfg, 2)
    old_ct = _issue(store, cfg, 0, "CT")  # counter 2 serves DKKD and CT
    flood = [_issue(store, cfg, 1 + i, "DKKD", priority="disabled") for i in range(4)]
    assert _calls(store, cfg, 2, 5) == flood[:2] + [old_ct] + flood[2:]


@pytest.mark.parametrize("cap", [1, 3, 5])
def test_older_ordinary_waits_at_most_cap_priority_calls(store: Store, cfg: CentreConfig, cap: int) -> None:
    cfg = with_cap(cfg, cap)
    first = _issue(store, cfg, 0)
    for i in range(cap + 4):
        _issue(store, cfg, 1 + i, priority="elderly")
    called = _calls(store, cfg, 1, cap + 5)
    assert called.index(first) == cap


def _simulated_calls(cfg: CentreConfig, priority: list[float], ordinary: list[float]) -> list[str]:
    """The call order the demo history uses: the same rule on plain (seconds, id) places."""
    p = [(t, i) for i, t in enumerate(priority)]
    o = [(t, 100 + i) for i, t in enumerate(ordinary)]
    streak, order = 0, []
    while p or o:
        first_o = o[0] if o else None
        wanted = class_to_call(cfg, streak, p[0] if p else None, first_o)
        assert wanted is not None
        place = (p if wanted else o).pop(0)
        streak = streak_after(streak, wanted, place, first_o)
        order.append("P" if wanted else "O")
    return order


@pytest.mark.parametrize("cap", [1, 3])
def test_demo_history_calls_with_the_same_cap(cfg: CentreConfig, cap: int) -> None:
    # one ordinary ticket waiting since 08:00, then a flood of priority tickets from 08:01
    order = _simulated_calls(with_cap(cfg, cap), [60.0 * (i + 1) for i in range(6)], [0.0])
    assert order == ["P"] * cap + ["O"] + ["P"] * (6 - cap)
    assert Simulation._next.__code__.co_names.count("class_to_call") == 1  # the simulation calls the rule itself
