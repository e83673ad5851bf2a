"""ESC/POS bytes drawn as the paper a printer would produce (1 dot = 1 pixel).

Used by the emulator and by the ``png://`` printer, so a PNG shows exactly what
the bytes print. The parser is incremental: feed it bytes as they arrive, in any
chunks; a command split across chunks waits for the rest.

Supported: initialise, alignment, bold, underline, font A/B, character size
(``ESC !`` and ``GS !``), reverse, code pages (``ESC t``) and text, line spacing,
feeds (LF, ``ESC d``, ``ESC J``), raster images (``GS v 0``), native QR
(``GS ( k``), cuts (``GS V``, ``ESC i``, ``ESC m``) and the real-time status
queries (``DLE EOT n``, answered through a callback). Other common commands are
skipped by their length; unknown ones are skipped and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PIL import Image

from printer_drivers.render_glyphs import CELLS, glyph, qr_image

log = logging.getLogger(__name__)

DEFAULT_LINE_SPACING = 30
CODE_PAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 16: "cp1252",
              17: "cp866", 18: "cp852", 19: "cp858", 45: "cp1250", 46: "cp1251",
              47: "cp1253", 48: "cp1254", 49: "cp1255", 50: "cp1256", 51: "cp1257",
              52: "cp1258"}

# Commands skipped by length: the byte after ESC / GS / FS -> total length.
_ESC_FIXED = {b"@": 2, b"2": 2, b"<": 2, b"L": 2, b"S": 2, b"i": 2, b"m": 2, b"c": 4,
              b"p": 5, b"$": 4, b"\\": 4, b"B": 4, b"C": 4}
_GS_FIXED = {b"$": 4, b"\\": 4, b"L": 4, b"W": 4, b"P": 4, b"T": 3}
_FS_FIXED = {b".": 2, b"&": 2, b"C": 3, b"!": 3, b"p": 4, b"-": 3}

StatusAnswer = Callable[[int], "int | None"]


@dataclass(frozen=True)
class Style:
    align: int = 0
    bold: bool = False
    underline: bool = False
    font: int = 0
    width: int = 1
    height: int = 1
    reverse: bool = False


class EscposRenderer:
    """Turns a stream of ESC/POS bytes into finished tickets (cut to cut).

    ``status(n)`` answers ``DLE EOT n`` with one byte, or None for no answer.
    ``can_print()`` says whether the paper moves; a ticket printed while it is
    False is spoiled and not returned (as a real printer out of paper).
    """

    def __init__(
        self,
        width_dots: int,
        *,
        status: StatusAnswer | None = None,
        can_print: Callable[[], bool] | None = None,
    ) -> None:
        self.width = width_dots
        self._status = status
        self._can_print = can_print or (lambda: True)
        self._pending = bytearray()
        self.print_bytes = 0
        self._reset()
        self._strips: list[Image.Image] = []
        self._spoiled = False
        self._tickets: list[Image.Image] = []
        self._answers = bytearray()

    # -- public --------------------------------------------------------------

    def feed(self, data: bytes) -> tuple[list[Image.Image], bytes]:
        """Consume ``data``; return the tickets cut meanwhile and the status answers."""
        self._pending += data
        pos = 0
        while pos < len(self._pending):
            used = self._step(pos)
            if used is None:
                break
            pos += used
        del self._pending[:pos]
        tickets, self._tickets = self._tickets, []
        answers, self._answers = bytes(self._answers), bytearray()
        return tickets, answers

    def finish(self) -> Image.Image | None:
        """End of data (connection closed): the uncut ticket, if it has ink."""
        self._flush_line()
        self._cut()
        tickets, self._tickets = self._tickets, []
        return tickets[0] if tickets else None

    # -- state ---------------------------------------------------------------

    def _reset(self) -> None:
        self._style = Style()
        self._spacing = DEFAULT_LINE_SPACING
        self._codepage = "cp437"
        self._left_margin = 0
        self._line: list[tuple[str, Style]] = []
        self._qr: dict[str, Any] = {"size": 3, "ec": 48, "data": b""}

    def _advance(self, dots: int) -> None:
        if dots > 0:
            self._strips.append(Image.new("1", (self.width, dots), 1))

    def _place(self, image: Image.Image, align: int | None = None) -> None:
        """Print ``image`` (mode "1", 0 = ink) at the current alignment."""
        if not self._can_print():
            self._spoiled = True
        align = self._style.align if align is None else align
        room = self.width - self._left_margin
        x = self._left_margin + {0: 0, 1: (room - image.width) // 2, 2: room - image.width}[align]
        strip = Image.new("1", (self.width, image.height), 1)
        strip.paste(image, (max(0, x), 0))
        self._strips.append(strip)

    def _cut(self) -> None:
        self._flush_line()
        if self._strips and not self._spoiled:
            height = sum(s.height for s in self._strips)
            paper = Image.new("1", (self.width, height), 1)
            y = 0
            for strip in self._strips:
                paper.paste(strip, (0, y))
                y += strip.height
            if paper.point(lambda v: 255 - v).getbbox():
                self._tickets.append(paper)
        self._strips = []
        self._spoiled = False

    # -- text ----------------------------------------------------------------

    def _add_text(self, raw: bytes) -> None:
        for char in raw.decode(self._codepage, errors="replace"):
            cell_w = CELLS[self._style.font][0] * self._style.width
            used = sum(CELLS[s.font][0] * s.width for _, s in self._line)
            if used + cell_w > self.width - self._left_margin:
                self._flush_line(self._spacing)
            self._line.append((char, self._style))

    def _flush_line(self, advance: int | None = None) -> None:
        """Print the pending text; ``advance`` is the line feed (None: no feed beyond the text)."""
        if not self._line:
            if advance:
                self._advance(advance)
            return
        glyphs = [glyph(c, s.font, s.bold, s.underline, s.reverse, s.width, s.height)
                  for c, s in self._line]
        height = max(g.height for g in glyphs)
        line = Image.new("1", (sum(g.width for g in glyphs), height), 1)
        x = 0
        for g in glyphs:
            line.paste(g, (x, height - g.height))
            x += g.width
        align = self._line[0][1].align
        self._line = []
        self._place(line, align)
        if advance is not None:
            self._advance(max(0, advance - height))

    # -- parser --------------------------------------------------------------

    def _step(self, pos: int) -> int | None:
        """Execute the command at ``pos``; return its length, or None if incomplete."""
        buf = self._pending
        byte = buf[pos]
        if byte >= 0x20:
            end = pos
            while end < len(buf) and buf[end] >= 0x20:
                end += 1
            self._add_text(bytes(buf[pos:end]))
            self.print_bytes += end - pos
            return end - pos
        if byte == 0x10:
            return self._dle(pos)
        if byte == 0x1B:
            used = self._esc(pos)
        elif byte == 0x1D:
            used = self._gs(pos)
        elif byte == 0x1C:
            used = self._need(pos, _FS_FIXED.get(bytes(buf[pos + 1:pos + 2]), 2))
        else:
            used = 1
            if byte in (0x0A, 0x0C):
                self._flush_line(self._spacing)
            elif byte == 0x09:
                self._add_text(b" " * (8 - len(self._line) % 8))
        if used is not None:
            self.print_bytes += used
        return used

    def _need(self, pos: int, length: int) -> int | None:
        return length if pos + length <= len(self._pending) else None

    def _arg(self, pos: int, k: int) -> int:
        return self._pending[pos + k]

    def _dle(self, pos: int) -> int | None:
        if pos + 1 >= len(self._pending):
            return None
        cmd = self._pending[pos + 1]
        if cmd == 0x04:
            if self._need(pos, 3) is None:
                return None
            n = self._arg(pos, 2)
            answer = self._status(n) if self._status else None
            if answer is not None:
                self._answers.append(answer)
            return 3
        if cmd == 0x05:
            return self._need(pos, 3)
        if cmd == 0x14:
            return self._need(pos, 5)
        return 2

    def _esc(self, pos: int) -> int | None:
        buf = self._pending
        if pos + 1 >= len(buf):
            return None
        cmd = bytes(buf[pos + 1:pos + 2])
        if cmd in _ESC_FIXED:
            used = self._need(pos, _ESC_FIXED[cmd])
            if used is None:
                return None
            if cmd == b"@":
                self._line = []
                self._reset()
            elif cmd == b"2":
                self._spacing = DEFAULT_LINE_SPACING
            elif cmd in (b"i", b"m"):
                self._cut()
            return used
        if cmd == b"*":  # column bit image: skipped by length
            if self._need(pos, 5) is None:
                return None
            m, n = self._arg(pos, 2), self._arg(pos, 3) + 256 * self._arg(pos, 4)
            return self._need(pos, 5 + n * (3 if m in (32, 33) else 1))
        if cmd == b"D":  # tab stops, NUL terminated
            end = buf.find(b"\x00", pos + 2)
            return None if end < 0 else end - pos + 1
        if cmd == b"(":
            return self._sized(pos, 5)
        if self._need(pos, 3) is None:
            return None
        n = self._arg(pos, 2)
        s = self._style
        if cmd == b"a":
            self._style = replace(s, align=n % 48 if n >= 48 else n % 3)
        elif cmd in (b"E", b"G"):
            self._style = replace(s, bold=bool(n & 1))
        elif cmd == b"-":
            self._style = replace(s, underline=bool(n % 48))
        elif cmd == b"M":
            self._style = replace(s, font=1 if n in (1, 49) else 0)
        elif cmd == b"!":
            self._style = replace(s, font=n & 1, bold=bool(n & 8), underline=bool(n & 128),
                                  width=2 if n & 32 else 1, height=2 if n & 16 else 1)
        elif cmd == b"t":
            self._codepage = CODE_PAGES.get(n, "cp437")
        elif cmd == b"3":
            self._spacing = n
        elif cmd == b"d":
            self._flush_line(self._spacing)
            self._advance(max(0, n - 1) * self._spacing)
        elif cmd == b"J":
            self._flush_line(0)
            self._advance(n)
        elif cmd not in (b"R", b"{", b"V", b" ", b"U", b"=", b"r", b"e", b"c"):
            log.debug("skipping unknown command ESC %r", cmd)
            return 2
        return 3

    def _gs(self, pos: int) -> int | None:
        buf = self._pending
        if pos + 1 >= len(buf):
            return None
        cmd = bytes(buf[pos + 1:pos + 2])
        if cmd in _GS_FIXED:
            used = self._need(pos, _GS_FIXED[cmd])
            if used and cmd == b"L":
                self._left_margin = min(self.width - 8, self._arg(pos, 2) + 256 * self._arg(pos, 3))
            return used
        if cmd == b"v":
            return self._raster(pos)
        if cmd == b"(":
            return self._sized(pos, 5)
        if cmd == b"8":  # GS 8 L: 4-byte length
            if self._need(pos, 7) is None:
                return None
            size = int.from_bytes(buf[pos + 3:pos + 7], "little")
            return self._need(pos, 7 + size)
        if cmd == b"V":
            if self._need(pos, 3) is None:
                return None
            m = self._arg(pos, 2)
            if m in (65, 66, 97, 98, 103, 104):
                if self._need(pos, 4) is None:
                    return None
                self._flush_line(0)
                self._advance(self._arg(pos, 3))
                self._cut()
                return 4
            self._cut()
            return 3
        if cmd == b"k":  # barcode: skipped by length
            if self._need(pos, 4) is None:
                return None
            m = self._arg(pos, 2)
            if m <= 6:
                end = buf.find(b"\x00", pos + 3)
                return None if end < 0 else end - pos + 1
            return self._need(pos, 4 + self._arg(pos, 3))
        if cmd == b"*":
            if self._need(pos, 4) is None:
                return None
            return self._need(pos, 4 + self._arg(pos, 2) * self._arg(pos, 3) * 8)
        if self._need(pos, 3) is None:
            return None
        n = self._arg(pos, 2)
        if cmd == b"!":
            self._style = replace(self._style, width=(n >> 4 & 7) + 1, height=(n & 7) + 1)
        elif cmd == b"B":
            self._style = replace(self._style, reverse=bool(n & 1))
        elif cmd not in (b"b", b"H", b"h", b"w", b"f", b"I", b"r", b"a", b"/"):
            log.debug("skipping unknown command GS %r", cmd)
            return 2
        return 3

    def _sized(self, pos: int, head: int) -> int | None:
        """``ESC (`` / ``GS (`` commands: a two-byte length after the function letter."""
        buf = self._pending
        if self._need(pos, head) is None:
            return None
        size = buf[pos + 3] + 256 * buf[pos + 4]
        used = self._need(pos, head + size)
        if used is None:
            return None
        if buf[pos] == 0x1D and buf[pos + 2:pos + 3] == b"k" and size >= 2:
            self._qr_command(bytes(buf[pos + 5:pos + 5 + size]))
        return used

    def _qr_command(self, body: bytes) -> None:
        cn, fn, args = body[0], body[1], body[2:]
        if cn != 49:
            return
        if fn == 67 and args:
            self._qr["size"] = max(1, min(16, args[0]))
        elif fn == 69 and args:
            self._qr["ec"] = args[0]
        elif fn == 80:
            self._qr["data"] = args[1:]
        elif fn == 81 and self._qr["data"]:
            self._flush_line()
            self._place(qr_image(bytes(self._qr["data"]), int(self._qr["size"]), int(self._qr["ec"])))

    def _raster(self, pos: int) -> int | None:
        """``GS v 0 m xL xH yL yH d...``: a raster bit image, 1 bits are ink."""
        buf = self._pending
        if self._need(pos, 8) is None:
            return None
        m = buf[pos + 3] % 48
        width_bytes = buf[pos + 4] + 256 * buf[pos + 5]
        height = buf[pos + 6] + 256 * buf[pos + 7]
        size = width_bytes * height
        if self._need(pos, 8 + size) is None:
            return None
        if size:
            self._flush_line()
            data = bytes(buf[pos + 8:pos + 8 + size])
            image = Image.frombytes("1", (width_bytes * 8, height), data, "raw", "1;I")
            if m:
                image = image.resize(
                    (image.width * (2 if m & 1 else 1), height * (2 if m & 2 else 1)),
                    Image.Resampling.NEAREST,
                )
            self._place(image.crop((0, 0, min(image.width, self.width), image.height)))
        return 8 + size


def render_bytes(data: bytes, width_dots: int) -> list[Image.Image]:
    """All the tickets in ``data`` (the last one even if it was not cut)."""
    renderer = EscposRenderer(width_dots)
    tickets, _ = renderer.feed(data)
    last = renderer.finish()
    return tickets + ([last] if last is not None else [])
