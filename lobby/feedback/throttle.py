"""Remarks per address: at most ``per_hour`` in any sliding hour, remembered for a bounded number of addresses.

The same sliding window as the token-guessing limiter (``lobby.access.limiter``), counting remarks
sent instead of wrong tokens. Kept in the memory of the one web process: a restart forgets,
which is acceptable for slowing down a flood, and no citizen's address is ever stored.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from lobby.access.limiter import GuessLimiter

WINDOW_S = 3600.0
MAX_ADDRESSES = 10_000


class RemarkThrottle(GuessLimiter):
    def __init__(self, per_hour: int, *, window_s: float = WINDOW_S, max_addresses: int = MAX_ADDRESSES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(max_misses=per_hour, window_s=window_s, max_addresses=max_addresses, clock=clock)
        self.per_hour = per_hour

    def sent(self, address: str) -> None:
        """Count a remark stored from this address (``retry_after`` says when it may send again)."""
        self.miss(address)
