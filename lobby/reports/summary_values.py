"""Waits and service times per group, kept whole so that percentiles over many days stay exact.

A day's values of one grouping are one ``Runs``: the groups' keys, how many values each has, and
the values themselves sorted within each group. Stored (``day_summary_values``) they are the
keys, the sizes and the differences between consecutive values as little-endian 64-bit integers,
zlib-compressed: sorted microseconds differ by little, so they pack to a few bytes each.

``percentile_cont`` of many days' runs puts every value of a group next to each other with one
sort of (group, value) packed into one integer, and interpolates between the same two values with
the same double-precision arithmetic as the direct computation on that store, so the result is the
same to the last bit.
"""
from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from lobby.reports.sql import PERCENTILES

Ints = npt.NDArray[np.int64]
_LEVEL = 1  # zlib: the fastest level packs these nearly as well as the best


@dataclass(frozen=True)
class Runs:
    """Values per group: ``keys[i]`` has ``sizes[i]`` values, ``values`` holds them group after group."""

    keys: Ints
    sizes: Ints
    values: Ints

    @property
    def size(self) -> int:
        return len(self.values)

    @staticmethod
    def empty() -> Runs:
        none = np.zeros(0, dtype=np.int64)
        return Runs(none, none, none)

    @staticmethod
    def of(keys: Ints, values: Ints) -> Runs:
        """The runs of unsorted (key, value) pairs."""
        if len(values) == 0:
            return Runs.empty()
        order = np.lexsort((values, keys))
        k, v = keys[order], values[order]
        uk, sizes = np.unique(k, return_counts=True)
        return Runs(uk.astype(np.int64), sizes.astype(np.int64), v.astype(np.int64))

    def encode(self) -> bytes:
        head = np.array([len(self.keys)], dtype="<i8")
        deltas = np.diff(self.values, prepend=np.int64(0))
        body = np.concatenate([head, self.keys.astype("<i8"), self.sizes.astype("<i8"), deltas.astype("<i8")])
        return zlib.compress(body.tobytes(), _LEVEL)

    @staticmethod
    def decode(blob: bytes) -> Runs:
        raw = np.frombuffer(zlib.decompress(blob), dtype="<i8")
        n = int(raw[0])
        return Runs(raw[1:1 + n].astype(np.int64), raw[1 + n:1 + 2 * n].astype(np.int64),
                    np.cumsum(raw[1 + 2 * n:], dtype=np.int64))


def join(parts: Sequence[Runs]) -> tuple[Ints, Ints]:
    """Every (key, value) of many runs, as two arrays."""
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys = np.concatenate([np.repeat(p.keys, p.sizes) for p in parts])
    values = np.concatenate([p.values for p in parts])
    return keys, values


def percentiles(keys: Ints, values: Ints, *, pg: bool = True) -> dict[int, tuple[float, ...]]:
    """``percentile_cont`` of each key's values at every p of PERCENTILES, in the values' unit, worked out to
    the last bit as the direct computation does on that store (``pg``: PostgreSQL's, else the SQLite SQL's).

    The values are put in key order with one stable sort of small integers (a radix sort), then each
    key's few order statistics are selected (``np.partition``), not sorted: linear in the values.
    """
    if len(values) == 0:
        return {}
    low = int(keys.min())
    if int(keys.max()) - low < 1 << 16:
        dense = (keys - low).astype(np.uint16)
        sizes = np.bincount(dense)
        present = np.flatnonzero(sizes)
        uk, sizes = present + low, sizes[present]
    else:  # keys far apart (never for days, hours or ids): number them first
        uk, inverse = np.unique(keys, return_inverse=True)
        dense = inverse.astype(np.int64)
        sizes = np.bincount(dense)
    grouped = values[np.argsort(dense, kind="stable")]
    out: dict[int, tuple[float, ...]] = {}
    start = 0
    for key, n in zip(uk.tolist(), sizes.tolist(), strict=True):
        out[key] = percentile_of(grouped[start:start + n], pg=pg)
        start += n
    return out


def percentile_of(values: Ints, *, pg: bool = True) -> tuple[float, ...]:
    """``percentile_cont`` of some values (unsorted, at least one) at every p of PERCENTILES."""
    n = len(values)
    ranks = sorted({r for p in PERCENTILES for r in _ranks(p, n)})
    picked = np.partition(values, ranks) if n > 1 else values
    cont = _cont_pg if pg else _cont_sqlite
    return tuple(cont(picked, n, p) for p in PERCENTILES)


def _ranks(p: float, n: int) -> tuple[int, ...]:
    """The 0-based ranks percentile_cont(p) of n values interpolates between."""
    first = math.floor(p * (n - 1))
    return (first, first + 1) if first + 1 < n else (first,)


def _cont_pg(ranked: Any, n: int, p: float) -> float:
    """PostgreSQL's percentile_cont of n values whose order statistics at ``_ranks`` are in place:
    ``lo + (pos − ⌊pos⌋)·(hi − lo)``."""
    pos = p * (n - 1)
    first, second = math.floor(pos), math.ceil(pos)
    lo = float(ranked[first])
    if first == second:
        return lo
    return lo + (pos - first) * (float(ranked[second]) - lo)


def _cont_sqlite(ranked: Any, n: int, p: float) -> float:
    """The same on SQLite, as ``lobby.reports.figures_sqlite`` writes it: ``lo·(1 − frac) + hi·frac``."""
    pos = p * (n - 1)
    first = int(pos)
    frac = pos - first
    lo = float(ranked[first]) * (1 - frac)
    return lo + float(ranked[first + 1]) * frac if first + 1 < n else lo
