"""What every emulated printer shares: its state, its paper and its finished tickets."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from types import TracebackType
from typing import Self

from PIL import Image

from printer_drivers.profiles import PAPER_DOTS
from printer_drivers.render import EscposRenderer
from printer_drivers.status import PrinterStatus, encode_status


@dataclass(frozen=True)
class EmulatorState:
    """Switches a test or a demo flips while the emulator runs.

    ``paper_out``, ``cover_open``, ``offline``, ``paper_near_end``: what the printer
    reports (the first three also stop printing). ``mute``: it never answers status
    queries; ``garbled``: it answers bytes that are not status (as at a wrong baud
    rate). ``vanish_after``: it drops the link after that many bytes of a job.
    ``hang_after``: it stops reading after that many bytes of a job (0 = at once).
    """

    paper_out: bool = False
    cover_open: bool = False
    offline: bool = False
    paper_near_end: bool = False
    mute: bool = False
    garbled: bool = False
    vanish_after: int | None = None
    hang_after: int | None = None

    def status(self) -> PrinterStatus:
        return PrinterStatus(
            online=not self.offline,
            cover_open=self.cover_open,
            paper_near_end=self.paper_near_end,
            paper_out=self.paper_out,
        )

    def describe(self) -> str:
        return " ".join(f"{k}={_show(v)}" for k, v in asdict(self).items())


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return "none" if value is None else str(value)


def parse_assignments(words: list[str]) -> dict[str, bool | int | None]:
    """``["paper_out=on", "vanish_after=200"]`` -> keyword arguments for ``set_state``."""
    kinds = {f.name: f.type for f in fields(EmulatorState)}
    changes: dict[str, bool | int | None] = {}
    for word in words:
        key, sep, value = word.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or key not in kinds:
            raise ValueError(f"expected NAME=VALUE with NAME one of {', '.join(kinds)}: {word!r}")
        value = value.strip().lower()
        if kinds[key] == "bool":
            if value not in ("on", "off", "1", "0", "true", "false", "yes", "no"):
                raise ValueError(f"{key} takes on or off, not {value!r}")
            changes[key] = value in ("on", "1", "true", "yes")
        else:
            changes[key] = None if value in ("none", "off", "") else int(value)
    return changes


class PrinterCore:
    """Thread-safe state, ticket files and waiting, shared by the TCP and pty front ends."""

    def __init__(self, out_dir: Path, *, paper_mm: int = 80) -> None:
        self.out_dir = Path(out_dir)
        self.width = PAPER_DOTS[paper_mm]
        self._cond = threading.Condition()
        self._state = EmulatorState()
        self._tickets: list[Path] = []
        self._print_bytes = 0

    @property
    def state(self) -> EmulatorState:
        with self._cond:
            return self._state

    def set_state(self, **changes: bool | int | None) -> EmulatorState:
        with self._cond:
            self._state = replace(self._state, **changes)  # type: ignore[arg-type]  # names checked by parse_assignments
            return self._state

    @property
    def tickets(self) -> list[Path]:
        with self._cond:
            return list(self._tickets)

    @property
    def print_bytes(self) -> int:
        """Bytes received other than status queries, over all connections."""
        with self._cond:
            return self._print_bytes

    def renderer(self) -> EscposRenderer:
        return EscposRenderer(self.width, status=self._answer, can_print=self._can_print)

    def _answer(self, n: int) -> int | None:
        state = self.state
        if state.mute or n not in (1, 2, 3, 4):
            return None
        if state.garbled:
            return 0xFF
        return encode_status(state.status())[n]

    def _can_print(self) -> bool:
        return self.state.status().ok

    def count(self, print_bytes: int) -> None:
        with self._cond:
            self._print_bytes += print_bytes

    def save(self, ticket: Image.Image) -> Path:
        with self._cond:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            path = self.out_dir / f"ticket-{len(self._tickets) + 1:04d}.png"
            ticket.save(path)
            self._tickets.append(path)
            self._cond.notify_all()
            return path

    def wait_for_ticket(self, n: int = 1, timeout: float = 10.0) -> Path:
        """The ``n``-th ticket's PNG (1-based), waiting up to ``timeout`` seconds for it."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._tickets) >= n, timeout):
                raise TimeoutError(f"ticket {n} not printed within {timeout:g} s")
            return self._tickets[n - 1]

    def limit(self, received: int, data: bytes) -> tuple[bytes, str | None]:
        """Cut ``data`` at the ``vanish_after`` / ``hang_after`` limit, if one is reached.

        Returns the part to process and ``"vanish"``, ``"hang"`` or None.
        """
        state = self.state
        limits = sorted(
            (limit, action)
            for action, limit in (("vanish", state.vanish_after), ("hang", state.hang_after))
            if limit is not None
        )
        for limit, action in limits:
            if received + len(data) >= limit:
                return data[: max(0, limit - received)], action
        return data, None

    def handle(self, renderer: EscposRenderer, data: bytes) -> tuple[bytes, bool]:
        """Print ``data`` on ``renderer`` and save finished tickets.

        Returns the status answers and whether a ticket was cut (a job ended).
        """
        before = renderer.print_bytes
        tickets, answers = renderer.feed(data)
        self.count(renderer.print_bytes - before)
        for ticket in tickets:
            self.save(ticket)
        return answers, bool(tickets)

    def flush(self, renderer: EscposRenderer) -> None:
        """The link ended or went idle: save what was printed but not cut."""
        ticket = renderer.finish()
        if ticket is not None:
            self.save(ticket)


class LinkJob:
    """One link's side of the printer: its renderer and the bytes of the job under way."""

    def __init__(self, core: PrinterCore) -> None:
        self.core = core
        self.renderer = core.renderer()
        self.received = 0

    def hung(self) -> bool:
        """True once ``hang_after`` is reached: the printer reads nothing more."""
        return self.core.limit(self.received, b"x")[1] == "hang"

    def feed(self, data: bytes) -> tuple[bytes, str | None]:
        """Print what the limits let through; returns the status answers and ``"vanish"``, ``"hang"`` or None."""
        data, action = self.core.limit(self.received, data)
        self.received += len(data)
        answers, cut = self.core.handle(self.renderer, data)
        if cut:
            self.received = 0
        return answers, action

    def flush(self) -> None:
        self.core.flush(self.renderer)


class EmulatorFront(ABC):
    """What the TCP and pty front ends share: a core to read and switch, and ``with`` = start/stop."""

    core: PrinterCore

    @abstractmethod
    def start(self) -> Self:
        """Start accepting bytes (in the background); return self."""

    @abstractmethod
    def stop(self) -> None:
        """Stop and release the port or pty."""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def state(self) -> EmulatorState:
        return self.core.state

    def set_state(self, **changes: bool | int | None) -> EmulatorState:
        """E.g. ``set_state(paper_out=True)``; see :class:`EmulatorState` for the switches."""
        return self.core.set_state(**changes)

    def wait_for_ticket(self, n: int = 1, timeout: float = 10.0) -> Path:
        return self.core.wait_for_ticket(n, timeout)

    @property
    def tickets(self) -> list[Path]:
        return self.core.tickets

    @property
    def print_bytes(self) -> int:
        return self.core.print_bytes
