"""Slowing down whoever guesses ticket tokens: wrong tokens per address in a sliding window.

An address may get ``max_misses`` wrong tokens per ``window_s``; after that it must wait
until the oldest miss leaves the window. Right tokens cost nothing, so a family
following three tickets from one phone never notices. Memory is bounded: at most
``max_addresses`` addresses are remembered (the least recently seen are forgotten).
"""
from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_MISSES = 10
WINDOW_S = 60.0
MAX_ADDRESSES = 10_000


class GuessLimiter:
    def __init__(self, *, max_misses: int = MAX_MISSES, window_s: float = WINDOW_S,
                 max_addresses: int = MAX_ADDRESSES, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_misses = max_misses
        self.window_s = window_s
        self.max_addresses = max_addresses
        self.clock = clock
        self._misses: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, address: str) -> float:
        """Seconds this address must wait before its next try (0 when it may try now)."""
        misses = self._recent(address)
        if misses is None or len(misses) < self.max_misses:
            return 0.0
        return max(misses[0] + self.window_s - self.clock(), 0.0)

    def miss(self, address: str) -> None:
        """Record a wrong token from this address."""
        misses = self._recent(address)
        if misses is None:
            misses = deque(maxlen=self.max_misses)
            self._misses[address] = misses
            while len(self._misses) > self.max_addresses:
                self._misses.popitem(last=False)
        misses.append(self.clock())
        self._misses.move_to_end(address)

    def _recent(self, address: str) -> deque[float] | None:
        misses = self._misses.get(address)
        if misses is None:
            return None
        limit = self.clock() - self.window_s
        while misses and misses[0] <= limit:
            misses.popleft()
        return misses
