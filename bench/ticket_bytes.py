"""Bytes on the wire for the demo ticket on 80 mm: our layout against the naive raster.

    .venv/bin/python bench/ticket_bytes.py

"Naive" is what people do when Vietnamese prints badly: draw the whole ticket as one
full-width image and send it with GS v 0. Goals: at most a quarter of the naive
bytes, and under 20 ms to build the bytes.
"""

from __future__ import annotations

import statistics
import sys
import time

from PIL import Image

from printer_drivers.demo import DEMO_RECEIPT
from printer_drivers.layout import build_ticket, naive_ticket_bytes
from printer_drivers.profiles import resolve_profile
from printer_drivers.render import render_bytes

BAUDS = (9_600, 19_200, 115_200)
BITS_PER_BYTE = 10  # 8N1: start bit, 8 data bits, stop bit
RUNS = 50


def seconds_on_wire(size: int, baud: int) -> float:
    return size * BITS_PER_BYTE / baud


def build_times(force_raster: bool) -> tuple[float, float]:
    """(first build, median of warm builds) in milliseconds."""
    profile = resolve_profile(None, 80)
    samples = []
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        build_ticket(DEMO_RECEIPT, profile, force_raster=force_raster)
        samples.append((time.perf_counter() - started) * 1000)
    return samples[0], statistics.median(samples[1:])


def ink_only(image: Image.Image) -> Image.Image:
    """The ticket image without the blank feed before the cut (the naive job feeds too)."""
    box = image.convert("L").point(lambda v: 255 - v).getbbox()
    return image.crop((0, 0, image.width, box[3])) if box else image


def main() -> int:
    profile = resolve_profile(None, 80)
    first_ms, warm_ms = build_times(force_raster=False)  # first: loads fonts and profile
    ours = build_ticket(DEMO_RECEIPT, profile)
    all_raster = build_ticket(DEMO_RECEIPT, profile, force_raster=True)
    (picture,) = render_bytes(ours, profile.width_dots)
    naive = naive_ticket_bytes(ink_only(picture), profile)

    rows = [("our layout", ours), ("our layout, all raster", all_raster), ("naive whole-ticket raster", naive)]
    print(f"Demo ticket {DEMO_RECEIPT.number}, 80 mm ({profile.name}, {profile.width_dots} dots)\n")
    header = f"{'':28}{'bytes':>9}" + "".join(f"{f'{b:,} baud':>14}" for b in BAUDS)
    print(header)
    print("-" * len(header))
    for name, data in rows:
        times = "".join(f"{seconds_on_wire(len(data), b):>13.2f}s" for b in BAUDS)
        print(f"{name:28}{len(data):>9,}{times}")
    ratio = len(ours) / len(naive)
    print()
    print(f"ours / naive bytes:  {ratio:.3f}  (goal <= 0.25: {'met' if ratio <= 0.25 else 'NOT met'})")
    print(f"build time:          {warm_ms:.1f} ms median of {RUNS} (first build {first_ms:.1f} ms)"
          f"  (goal < 20 ms: {'met' if warm_ms < 20 else 'NOT met'})")
    return 0 if ratio <= 0.25 and warm_ms < 20 else 1


if __name__ == "__main__":
    sys.exit(main())
