"""The centre's configuration: a TOML file validated with pydantic.

Unknown keys are rejected so that a typo is reported instead of silently ignored.
A bad file yields one line per problem naming the file, the key path and what is
expected, e.g. ``config/demo.toml: services[2].prefix: must be 1 to 3 capital letters, got "a1"``.
"""
from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from lobby.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "demo.toml"


def var_dir() -> Path:
    """Where the machine keeps its own files (SQLite store, logs, voice cache, tickets): LOBBY_VAR,
    else var/ beside the project. Set LOBBY_VAR when the code is installed read-only (site-packages)."""
    env = os.environ.get("LOBBY_VAR")
    return Path(env) if env else PROJECT_ROOT / "var"

_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


class TimeRange(BaseModel):
    """A range of local clock time such as 07:30-11:30 (start included, end excluded)."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> "TimeRange":
        m = _RANGE.match(text.strip())
        if not m:
            raise ValueError(f'must look like "07:30-11:30", got "{text}"')
        start = time(int(m[1]), int(m[2]))
        end = time(int(m[3]), int(m[4]))
        if end <= start:
            raise ValueError(f'end must be after start, got "{text}"')
        return cls(start=start, end=end)

    def contains(self, t: time) -> bool:
        return self.start <= t < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _ranges(value: Any) -> list[TimeRange]:
    if not isinstance(value, list):
        raise ValueError("must be a list of ranges such as [\"07:30-11:30\", \"13:30-17:00\"]")
    return [v if isinstance(v, TimeRange) else TimeRange.parse(str(v)) for v in value]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _nfc(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: nfc(v) if isinstance(v, str) else v for k, v in data.items()}
        return data


Weekday = Annotated[int, Field(ge=1, le=7)]


class CentreInfo(Strict):
    name: str = Field(min_length=1)
    name_en: str = ""
    address: str = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    opening_days: list[Weekday] = [1, 2, 3, 4, 5]
    opening_hours: list[TimeRange] = Field(default_factory=lambda: _ranges(["07:30-11:30", "13:30-17:00"]))
    status_url: str | None = None
    enforce_hours: bool = True
    footer: str = "Cảm ơn quý khách. Vui lòng chú ý màn hình và loa gọi số."
    footer_en: str = "Thank you. Please watch the screen and listen for your number."

    _v_hours = field_validator("opening_hours", mode="before")(lambda cls, v: _ranges(v))

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'must be an IANA time zone such as "Asia/Ho_Chi_Minh", got "{v}"') from None
        return v

    @field_validator("status_url")
    @classmethod
    def _status_url(cls, v: str | None) -> str | None:
        if v and "{id}" not in v:
            raise ValueError(f'must contain "{{id}}" where the ticket id goes, got "{v}"')
        return v or None


class ServiceConfig(Strict):
    code: str
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    prefix: str
    number_format: str = "{prefix}{n:03d}"
    first_number: int = Field(default=1, ge=0)
    daily_limit: int | None = Field(default=None, ge=1)
    hours: list[TimeRange] = Field(default_factory=list)
    days: list[Weekday] | None = None
    target_wait_min: int = Field(default=15, ge=1)
    default_service_min: float = Field(default=8.0, gt=0)

    _v_hours = field_validator("hours", mode="before")(lambda cls, v: _ranges(v))

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]{0,15}", v):
            raise ValueError(f'must be capital letters, digits or _ starting with a letter (e.g. "DKKD"), got "{v}"')
        return v

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Z]{1,3}", v):
            raise ValueError(f'must be 1 to 3 capital letters, got "{v}"')
        return v

    @field_validator("number_format")
    @classmethod
    def _format(cls, v: str) -> str:
        try:
            sample = v.format(prefix="A", n=7)
        except Exception as exc:  # noqa: BLE001 - any formatting failure is a config problem
            raise ValueError(f'must use only {{prefix}} and {{n}}, e.g. "{{prefix}}{{n:03d}}", got "{v}" ({exc})') from None
        if "7" not in sample:
            raise ValueError(f'must contain the number {{n}}, got "{v}"')
        return v

    def format_number(self, n: int) -> str:
        return self.number_format.format(prefix=self.prefix, n=n)

    def name(self, lang: str = "vi") -> str:
        return self.name_en or self.name_vi if lang == "en" else self.name_vi


class CounterConfig(Strict):
    number: int = Field(ge=1, le=999)
    name: str = ""
    name_en: str = ""
    services: list[str] = Field(min_length=1)

    def label(self, lang: str = "vi") -> str:
        """The name shown on screens in ``lang`` ("Quầy 4" / "Counter 4" when none is configured)."""
        if lang == "en":
            return self.name_en or (self.name if self.name else f"Counter {self.number}")
        return self.name or f"Quầy {self.number}"


class PriorityGroupConfig(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    needs_pin: bool = False

    def name(self, lang: str = "vi") -> str:
        return self.name_en or self.name_vi if lang == "en" else self.name_vi


class PriorityPolicy(Strict):
    max_consecutive: int = Field(default=3, ge=1, description="priority calls in a row at one counter while an older ordinary ticket waits")


class PrinterConfig(Strict):
    url: str = "png://var/tickets"
    profile: str | None = None
    paper_mm: Literal[58, 80] = 80
    force_raster: bool = False
    timeout_s: float = Field(default=5.0, gt=0, le=60)


class DisplayConfig(Strict):
    template: str = "Mời công dân có số thứ tự {number} đến quầy số {counter}"
    template_en: str = "Ticket {number}, please go to counter {counter}"
    region: Literal["north", "south"] = "north"
    voice_pack: str | None = None
    stale_after_s: int = Field(default=120, ge=5)
    highlight_s: int = Field(default=8, ge=1, le=60)
    ticker: str = ""
    ticker_en: str = ""
    show_waiting: bool = True
    chime: bool = True

    @field_validator("template", "template_en")
    @classmethod
    def _template(cls, v: str) -> str:
        for key in ("{number}", "{counter}"):
            if key not in v:
                raise ValueError(f'must contain {key}, got "{v}"')
        try:
            v.format(number="A001", counter=1)
        except Exception:  # noqa: BLE001 - any formatting failure is a config problem
            raise ValueError(f'may use only {{number}} and {{counter}} in braces, got "{v}"') from None
        return v


class KioskConfig(Strict):
    language: Literal["vi", "en"] = "vi"
    idle_home_s: int = Field(default=8, ge=2, le=120)
    attract_after_s: int = Field(default=180, ge=10)
    guard_timeout_s: int = Field(default=60, ge=10)
    name: str = "kiosk-1"


class CounterAppConfig(Strict):
    counter: int | None = None
    idle_signout_min: int = Field(default=30, ge=1)
    rating_timeout_s: int = Field(default=30, ge=5)


class SecurityConfig(Strict):
    pin_max_attempts: int = Field(default=5, ge=1, le=20)
    lockout_minutes: int = Field(default=15, ge=1)


class DatabaseConfig(Strict):
    url: str | None = None


class CentreConfig(Strict):
    centre: CentreInfo
    services: list[ServiceConfig] = Field(min_length=1)
    counters: list[CounterConfig] = Field(min_length=1)
    priority_groups: list[PriorityGroupConfig] = Field(default_factory=list)
    priority_policy: PriorityPolicy = PriorityPolicy()
    printer: PrinterConfig = PrinterConfig()
    display: DisplayConfig = DisplayConfig()
    kiosk: KioskConfig = KioskConfig()
    counter_app: CounterAppConfig = CounterAppConfig()
    security: SecurityConfig = SecurityConfig()
    database: DatabaseConfig = DatabaseConfig()
    _source: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        """The file this config was read from ("" when built in code)."""
        return self._source

    @model_validator(mode="after")
    def _cross_checks(self) -> "CentreConfig":
        problems = cross_check(self.model_dump(mode="python"))
        if problems:
            raise ValueError(_JOIN.join(problems))
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.centre.timezone)

    def service(self, code: str) -> ServiceConfig:
        from lobby.errors import UnknownService

        for s in self.services:
            if s.code == code.upper() or s.prefix == code.upper():
                return s
        raise UnknownService(code, [s.code for s in self.services])

    def counter(self, number: int) -> CounterConfig:
        from lobby.errors import UnknownCounter

        for c in self.counters:
            if c.number == number:
                return c
        raise UnknownCounter(number, [c.number for c in self.counters])

    def priority_group(self, code: str) -> PriorityGroupConfig:
        from lobby.errors import UnknownPriorityGroup

        for g in self.priority_groups:
            if g.code == code:
                return g
        raise UnknownPriorityGroup(code, [g.code for g in self.priority_groups])


_JOIN = "\n"
_SAMPLE_NUMBERS = (0, 1, 7, 10, 99, 100, 999, 1000, 9999)


def _unique(problems: list[str], section: str, values: list[tuple[int, Any]], key: str) -> None:
    seen: dict[Any, int] = {}
    for i, v in values:
        if v in seen:
            problems.append(f"{section}[{i}].{key}: duplicates {section}[{seen[v]}].{key} ({v!r}); each must be unique")
        seen.setdefault(v, i)


def _items(data: dict[str, Any], section: str) -> list[tuple[int, dict[str, Any]]]:
    value = data.get(section)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _field(items: list[tuple[int, dict[str, Any]]], key: str) -> list[tuple[int, Any]]:
    return [(i, item[key]) for i, item in items if isinstance(item.get(key), (str, int)) and not isinstance(item.get(key), bool)]


def cross_check(data: dict[str, Any]) -> list[str]:
    """Checks across sections (unique codes, prefixes and numbers; counters naming known services...).

    Works on the raw data too, so a file with a bad field and a duplicate prefix reports both.
    """
    problems: list[str] = []
    services = _items(data, "services")
    counters = _items(data, "counters")
    _unique(problems, "services", _field(services, "code"), "code")
    _unique(problems, "services", _field(services, "prefix"), "prefix")
    _unique(problems, "counters", _field(counters, "number"), "number")
    _unique(problems, "priority_groups", _field(_items(data, "priority_groups"), "code"), "code")
    codes = {code for _, code in _field(services, "code")}
    prefixes = {p: i for i, p in _field(services, "prefix")}
    for i, code in _field(services, "code"):
        j = prefixes.get(code)
        if j is not None and j != i:
            problems.append(
                f"services[{i}].code: {code!r} is also the prefix of services[{j}]; "
                "a code must not equal another service's prefix (both are accepted where a service is named)"
            )
    for i, c in counters:
        names = c.get("services")
        if not isinstance(names, list):
            continue
        for j, code in enumerate(names):
            if codes and code not in codes:
                problems.append(
                    f"counters[{i}].services[{j}]: unknown service code \"{code}\"; known: {', '.join(sorted(map(str, codes)))}"
                )
    app = data.get("counter_app")
    if isinstance(app, dict) and isinstance(app.get("counter"), int) and counters:
        numbers = {n for _, n in _field(counters, "number")}
        if app["counter"] not in numbers:
            problems.append(
                f"counter_app.counter: must be one of the configured counters "
                f"({', '.join(str(n) for n in sorted(numbers))}), got {app['counter']}"
            )
    problems += _number_clashes(services)
    return problems


def _number_clashes(services: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """Two services whose number formats could print the same ticket number (e.g. both "{n:03d}")."""
    owner: dict[str, int] = {}
    problems: list[str] = []
    prefixes: set[str] = set()
    for i, svc in services:
        fmt, prefix = svc.get("number_format", "{prefix}{n:03d}"), svc.get("prefix")
        if not isinstance(fmt, str) or not isinstance(prefix, str) or not re.fullmatch(r"[A-Z]{1,3}", prefix):
            continue
        if prefix in prefixes:  # reported as a duplicate prefix already
            continue
        prefixes.add(prefix)
        try:
            numbers = {fmt.format(prefix=prefix, n=n).upper() for n in _SAMPLE_NUMBERS}
        except Exception:  # noqa: BLE001 - reported by the field check
            continue
        clash = next((owner[n] for n in sorted(numbers) if n in owner and owner[n] != i), None)
        if clash is not None:
            problems.append(
                f"services[{i}].number_format: gives the same ticket numbers as services[{clash}] "
                f'(e.g. "{sorted(numbers & {k for k, v in owner.items() if v == clash})[0]}"); '
                "include {prefix} so each service's numbers differ"
            )
        for n in numbers:
            owner.setdefault(n, i)
    return problems


def default_config_path() -> Path:
    env = os.environ.get("LOBBY_CONFIG")
    return Path(env) if env else DEFAULT_CONFIG


def load_config(path: str | Path | None = None) -> CentreConfig:
    """Read and validate a centre's TOML file; raise ConfigError listing every problem."""
    p = Path(path) if path is not None else default_config_path()
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{p}: file not found; pass --config PATH or set LOBBY_CONFIG"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{p}: cannot read the file ({exc}); it must be UTF-8 text"]) from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{p}: not valid TOML: {exc}"]) from None
    return parse_config(data, str(p))


def parse_config(data: dict[str, Any], source: str = "<config>") -> CentreConfig:
    try:
        cfg = CentreConfig.model_validate(data)
    except ValidationError as exc:
        lines = [line for err in exc.errors() for line in _describe(err)]
        for extra in cross_check(data):  # the cross-checks also hold when some field is wrong
            if extra not in lines:
                lines.append(extra)
        raise ConfigError([f"{source}: {line}" for line in lines]) from None
    cfg._source = source
    return cfg


def _describe(err: Any) -> list[str]:
    loc = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in err["loc"]).lstrip(".")
    msg: str = err["msg"]
    kind = err["type"]
    if kind == "extra_forbidden":
        msg = "unknown key; check the spelling against config/default.toml"
    elif kind == "missing":
        msg = "is required"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    elif "input" in err and kind not in ("model_type",):
        msg = f"{msg}, got {err['input']!r}"
    if kind == "value_error" and err["loc"] == ():
        return msg.split(_JOIN)
    return [f"{loc or '(top level)'}: {msg}"]
