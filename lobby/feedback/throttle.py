"""Remarks per address: at most ``per_hour`` in any sliding hour, remembered for a bounded number of addresses.

Kept in the memory of the one web process (like ``lobby.access.limiter``): a restart forgets,
which is acceptable for slowing down a flood, and no citizen's address is ever stored.
"""
from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

WINDOW_S = 3600.0
MAX_ADDRESSES = 10_000


class RemarkThrottle:
    def __init__(self, per_hour: int, *, window_s: float = WINDOW_S, max_addresses: int = MAX_ADDRESSES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_hour = per_hour
        self.window_s = window_s
        self.max_addresses = max_addresses
        self.clock = clock
        self._sent: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, address: str) -> float:
        """Seconds before this address may send again (0 when it may send now)."""
        sent = self._recent(address)
        if len(sent) < self.per_hour:
            return 0.0
        return max(sent[0] + self.window_s - self.clock(), 0.0)

    def sent(self, address: str) -> None:
        """Count a remark stored from this address."""
        sent = self._recent(address)
        sent.append(self.clock())
        self._sent[address] = sent
        self._sent.move_to_end(address)
        while len(self._sent) > self.max_addresses:
            self._sent.popitem(last=False)

    def _recent(self, address: str) -> deque[float]:
        sent = self._sent.get(address, deque(maxlen=self.per_hour))
        limit = self.clock() - self.window_s
        while sent and sent[0] <= limit:
            sent.popleft()
        return sent
