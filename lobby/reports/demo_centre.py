"""The demo centre as it is in the store: its services (with each one's share of arrivals and the
day's shape of them), its counters, and officials and guards with Vietnamese names (made if missing)."""
from __future__ import annotations

import math
import random
import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Connection, text

from lobby.clock import utcnow
from lobby.config import CentreConfig, ServiceConfig, TimeRange
from lobby.errors import LobbyError
from lobby.staffing.staff import hash_pin

DEMO_SOURCE = "demo-history"  # the ticket source and event actor of everything the demo makes


@dataclass(frozen=True)
class DemoAccount:
    """An account the demo made, with its random PIN: printed once, stored only as a hash."""

    username: str
    role: str
    pin: str


FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý")


MIDDLE_M = ("Văn", "Hữu", "Minh", "Đức", "Quang", "Thanh")


MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng")


GIVEN_M = ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tuấn",
           "Việt", "Đạt")


GIVEN_F = ("Anh", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo", "Trang", "Yến",
           "Ngân", "Hằng")


@dataclass
class Official:
    id: int
    username: str
    pace: float       # multiplies service times
    warmth: float     # shifts ratings toward satisfied (>0) or not (<0)


@dataclass
class Svc:
    idx: int
    id: int
    code: str
    cfg: ServiceConfig
    weight: float
    minutes: list[int]        # local minutes of the day when tickets are issued
    cum: list[float]


def load_services(conn: Connection, cfg: CentreConfig, rng: random.Random) -> dict[str, Svc]:
    ids = {code: sid for sid, code in conn.execute(text("SELECT id, code FROM service"))}
    missing = [s.code for s in cfg.services if s.code not in ids]
    if missing:
        raise LobbyError(f"Cơ sở dữ liệu chưa có dịch vụ {', '.join(missing)}: chạy «lobby init» trước.",
                         f"The database lacks services {', '.join(missing)}: run “lobby init” first.")
    # Each service's share of arrivals: what its counters can serve, tilted a little per service.
    capacity = {s.code: 0.0 for s in cfg.services}
    for c in cfg.counters:
        for code in c.services:
            capacity[code] += 1.0 / len(c.services) / cfg.service(code).default_service_min
    out = {}
    for i, sc in enumerate(cfg.services):
        minutes = _issue_minutes(sc.hours or cfg.centre.opening_hours)
        weights = [_shape(m) for m in minutes]
        cum, acc = [], 0.0
        for w in weights:
            acc += w
            cum.append(acc)
        out[sc.code] = Svc(i, ids[sc.code], sc.code, sc, capacity[sc.code] * rng.uniform(0.8, 1.15), minutes, cum)
    return out


def _issue_minutes(ranges: list[TimeRange]) -> list[int]:
    return [m for r in ranges for m in range(r.start.hour * 60 + r.start.minute, r.end.hour * 60 + r.end.minute)]


def _shape(minute: int) -> float:
    """Arrivals per minute, relative: a peak about 9:30 and a smaller one about 14:30."""
    h = minute / 60.0
    return 1.0 * math.exp(-((h - 9.5) / 1.1) ** 2 / 2) + 0.7 * math.exp(-((h - 14.5) / 0.9) ** 2 / 2) + 0.12


def load_counters(conn: Connection, cfg: CentreConfig, services: dict[str, Svc]) -> list[tuple[int, int, list[str]]]:
    ids = {number: cid for cid, number in conn.execute(text("SELECT id, number FROM counter"))}
    return [(ids[c.number], c.number, list(c.services)) for c in cfg.counters if c.number in ids]


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalpha()).lower()


def load_staff(
    conn: Connection, cfg: CentreConfig, rng: random.Random, counters: int,
) -> tuple[list[Official], list[int], list[DemoAccount]]:
    """One official per counter and a few to stand in, plus two guards who grant priority (made if missing)."""
    existing = {u: (i, r) for i, u, r in conn.execute(text("SELECT id, username, role FROM staff"))}
    wanted: list[tuple[str, str, str]] = []
    used: set[str] = set()
    names: set[str] = set()
    n_officials = counters + max(2, counters // 4)
    while len(wanted) < n_officials + 2:
        female = rng.random() < 0.55
        full = " ".join((rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                         rng.choice(GIVEN_F if female else GIVEN_M)))
        if full in names:
            continue
        names.add(full)
        parts = full.split()
        base = _ascii(parts[-1]) + "." + _ascii(parts[0])
        username, k = base, 2
        while username in used:
            username, k = f"{base}{k}", k + 1
        used.add(username)
        role = "official" if len(wanted) < n_officials else "guard"
        wanted.append((username, full, role))
    accounts: list[DemoAccount] = []
    for username, full, role in wanted:
        if username in existing:
            continue
        pin = "".join(secrets.choice("0123456789") for _ in range(6))  # never one PIN shared by every account
        made = utcnow().replace(tzinfo=None)
        conn.execute(text("INSERT INTO staff (username, full_name, role, pin_hash, failed_pins, active, created_at) "
                          "VALUES (:u, :f, :r, :p, 0, :a, :c)"),
                     {"u": username, "f": full, "r": role, "p": hash_pin(pin), "a": True, "c": made})
        conn.execute(text("INSERT INTO event (at, kind, staff_id, actor) "
                          "SELECT :c, 'staff_added', id, :actor FROM staff WHERE username = :u"),
                     {"c": made, "actor": DEMO_SOURCE, "u": username})
        accounts.append(DemoAccount(username, role, pin))
    ids = {u: i for i, u in conn.execute(text("SELECT id, username FROM staff"))}
    officials = [Official(ids[u], u, rng.uniform(0.8, 1.25), rng.gauss(0.0, 0.12))
                 for u, _, r in wanted if r == "official"]
    guards = [ids[u] for u, _, r in wanted if r == "guard"]
    return officials, guards, accounts
