"""Staff PINs: salted slow hashes, lockout after wrong PINs (committed even though it raises), keypad lockout."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from lobby.config import CentreConfig
from lobby.errors import (
    AccountLocked,
    BadPinFormat,
    BadText,
    BadUsername,
    NotAllowed,
    PinRejected,
    StaffExists,
    UnknownStaff,
)
from lobby.staffing import staff
from lobby.store.engine import Store
from lobby.store.models import Event, Staff
from lobby.text_limits import shown

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=HCM)


def test_hashes_are_salted_scrypt() -> None:
    a, b = staff.hash_pin("1234"), staff.hash_pin("1234")
    assert a != b and a.startswith("scrypt$") and "1234" not in a.split("$")
    assert staff.pin_matches("1234", a) and staff.pin_matches("1234", b)
    assert not staff.pin_matches("1235", a)
    assert not staff.pin_matches("1234", "garbage") and not staff.pin_matches("1234", "md5$x$y$z$a$b")


def test_add_list_and_formats(store: Store) -> None:
    with store.session() as s:
        info = staff.add_staff(s, "an", "Nguyễn Văn An", "official", "1234")
    assert (info.username, info.role, info.active) == ("an", "official", True)
    with store.session() as s, pytest.raises(StaffExists):
        staff.add_staff(s, "an", "Another", "guard", "999999")
    for pin in ("12", "abcd", "123456789", ""):
        with store.session() as s, pytest.raises(BadPinFormat):
            staff.add_staff(s, "xx" + pin, "X", "guard", pin)
    with store.session() as s, pytest.raises(Exception, match="Role|Vai trò"):
        staff.add_staff(s, "boss", "Boss", "king", "1234")
    with store.session() as s:
        assert [m.username for m in staff.list_staff(s)] == ["an"]
        stored = s.scalar(select(Staff.pin_hash).where(Staff.username == "an"))
    assert stored is not None and "1234" not in stored


def test_five_wrong_pins_lock_and_the_lock_expires(store: Store, cfg: CentreConfig) -> None:
    assert cfg.security.pin_max_attempts == 5 and cfg.security.lockout_minutes == 15
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "1234")
    remaining = []
    for i in range(4):
        with store.session() as s, pytest.raises(PinRejected) as err:
            staff.verify_pin(s, cfg, "an", "0000", now=T0 + timedelta(seconds=i))
        remaining.append(err.value.remaining)
    assert remaining == [4, 3, 2, 1]
    with store.session() as s, pytest.raises(AccountLocked) as locked:
        staff.verify_pin(s, cfg, "an", "0000", now=T0 + timedelta(seconds=5))
    assert "08:15 02/03/2026" in locked.value.message()  # local time, not UTC
    # locked: even the right PIN is refused, and the refusal does not extend the lock
    with store.session() as s, pytest.raises(AccountLocked):
        staff.verify_pin(s, cfg, "an", "1234", now=T0 + timedelta(minutes=14))
    # the failures were committed although each call raised: a fresh session sees them
    with store.read_session() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.actor == "an").order_by(Event.id)))
        row = s.scalar(select(Staff).where(Staff.username == "an"))
    assert kinds == ["pin_failed"] * 5 + ["account_locked"]
    assert row is not None and row.locked_until == T0 + timedelta(seconds=5, minutes=15)
    # expired: the right PIN works again and the count starts afresh
    with store.session() as s:
        assert staff.verify_pin(s, cfg, "an", "1234", now=T0 + timedelta(minutes=16)).username == "an"
    with store.session() as s, pytest.raises(PinRejected) as err:
        staff.verify_pin(s, cfg, "an", "0000", now=T0 + timedelta(minutes=17))
    assert err.value.remaining == 4


def test_a_right_pin_resets_the_count(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        staff.add_staff(s, "an", "An", "official", "1234")
    for _ in range(3):
        with store.session() as s, pytest.raises(PinRejected):
            staff.verify_pin(s, cfg, "an", "9999", now=T0)
    with store.session() as s:
        staff.verify_pin(s, cfg, "an", "1234", now=T0)
    with store.session() as s, pytest.raises(PinRejected) as err:
        staff.verify_pin(s, cfg, "an", "9999", now=T0)
    assert err.value.remaining == 4


def test_set_pin_lifts_a_lock_and_roles_are_checked(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        staff.add_staff(s, "bao", "Trần Văn Bảo", "guard", "246813")
    for _ in range(5):
        with store.session() as s, pytest.raises((PinRejected, AccountLocked)):
            staff.verify_pin(s, cfg, "bao", "0000", now=T0)
    with store.session() as s:
        staff.set_pin(s, "bao", "135792")
    with store.session() as s:
        assert staff.verify_pin(s, cfg, "bao", "135792", now=T0).role == "guard"
    with store.session() as s, pytest.raises(NotAllowed):
        staff.verify_pin(s, cfg, "bao", "135792", roles=("official",), now=T0)
    with store.session() as s, pytest.raises(UnknownStaff):
        staff.verify_pin(s, cfg, "nobody", "135792", now=T0)


def test_keypad_pin_alone_and_its_lockout(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        staff.add_staff(s, "bao", "Bảo", "guard", "246813")
        staff.add_staff(s, "an", "An", "official", "1234")
    with store.session() as s:
        assert staff.verify_any_pin(s, cfg, "246813", roles=("guard",), source="kiosk-1", now=T0).username == "bao"
    with store.session() as s, pytest.raises(PinRejected):
        # a real PIN of a member without the role is a wrong PIN here
        staff.verify_any_pin(s, cfg, "1234", roles=("guard",), source="kiosk-1", now=T0)
    for i in range(3):
        with store.session() as s, pytest.raises(PinRejected):
            staff.verify_any_pin(s, cfg, "0000", roles=("guard",), source="kiosk-1", now=T0 + timedelta(seconds=i))
    with store.session() as s, pytest.raises(AccountLocked):
        staff.verify_any_pin(s, cfg, "0000", roles=("guard",), source="kiosk-1", now=T0 + timedelta(seconds=5))
    # locked keypad: the right PIN is refused too; another kiosk is not affected
    with store.session() as s, pytest.raises(AccountLocked):
        staff.verify_any_pin(s, cfg, "246813", roles=("guard",), source="kiosk-1", now=T0 + timedelta(minutes=10))
    with store.session() as s:
        assert staff.verify_any_pin(s, cfg, "246813", roles=("guard",), source="kiosk-2", now=T0).username == "bao"
    # after the lockout the keypad works again
    with store.session() as s:
        assert staff.verify_any_pin(s, cfg, "246813", roles=("guard",), source="kiosk-1",
                                    now=T0 + timedelta(minutes=16)).username == "bao"


def test_pin_length_bounds() -> None:
    """The keypads and the sign-in form take their limits from these constants."""
    assert staff.check_pin_format("1" * staff.PIN_MIN_DIGITS)
    assert staff.check_pin_format("9" * staff.PIN_MAX_DIGITS)
    for pin in ("1" * (staff.PIN_MIN_DIGITS - 1), "1" * (staff.PIN_MAX_DIGITS + 1)):
        with pytest.raises(BadPinFormat):
            staff.check_pin_format(pin)


@pytest.mark.parametrize("pin", ["١٢٣٤٥٦", "１２３４５６", "12 34", "1234\n", "+1234", "12345a", "²³⁴⁵⁶⁷"])
def test_only_ascii_digits_make_a_pin(pin: str) -> None:
    """Arabic-Indic, full-width and superscript digits pass str.isdigit but can never be typed on the keypad."""
    with pytest.raises(BadPinFormat):
        staff.check_pin_format(pin)


def test_managers_and_guards_need_six_digits(store: Store) -> None:
    assert staff.check_pin_format("1234", "official") == "1234"
    for role in ("manager", "guard"):
        with pytest.raises(BadPinFormat, match="6"):
            staff.check_pin_format("12345", role)
        assert staff.check_pin_format("123456", role) == "123456"
        with store.session() as s, pytest.raises(BadPinFormat):
            staff.add_staff(s, f"x{role}", "X", role, "2468")
    with store.session() as s:
        staff.add_staff(s, "an", "An", "official", "1234")
    with store.session() as s:  # re-PINning keeps the rule of the account's role
        staff.set_pin(s, "an", "4321")


@pytest.mark.parametrize("name", [
    "", "a", " ", "an\x00", "an\nroot", "a" * 33, "an\u202egnp", "аn",  # Cyrillic а
    "ａｎ", "an van", "-an", "an;drop", "x" * 100_000,
])
def test_usernames_are_a_safe_short_ascii_set(store: Store, name: str) -> None:
    with store.session() as s, pytest.raises(BadUsername) as err:
        staff.add_staff(s, name, "X", "official", "1234")
    assert len(err.value.message("en")) < 300  # a huge input is never echoed back whole
    with store.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Staff)) == 0


def test_usernames_are_trimmed_and_unique_whatever_the_case(store: Store) -> None:
    with store.session() as s:
        assert staff.add_staff(s, "  Nguyen.An_2 ", "Nguyễn Văn An", "official", "1234").username == "nguyen.an_2"
    with store.session() as s, pytest.raises(StaffExists):
        staff.add_staff(s, "NGUYEN.AN_2", "Another", "official", "1234")


@pytest.mark.parametrize("full_name", ["", "   ", "An\x1b[31m", "An\u202e", "A" * 121, "x" * 1_000_000])
def test_display_names_are_limited_and_clean(store: Store, full_name: str) -> None:
    with store.session() as s, pytest.raises(BadText) as err:
        staff.add_staff(s, "an", full_name, "official", "1234")
    assert len(err.value.message("vi")) < 300 and "\x1b" not in err.value.message("vi")


def test_shown_cuts_and_escapes() -> None:
    assert shown("a\x1b[2J" + "x" * 500).startswith("«a\\u001b[2J")
    assert len(shown("y" * 10_000)) < 80
