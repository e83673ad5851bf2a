"""The centre's config: every problem as `<file>: <key.path>: <what is expected>`, unknown keys, cross-checks."""
from __future__ import annotations

import re
import tomllib
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from lobby.config import CentreConfig, default_config_path, load_config, parse_config
from lobby.errors import ConfigError, UnknownCounter, UnknownPriorityGroup, UnknownService

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "config" / "default.toml"
DEMO = ROOT / "config" / "demo.toml"


def demo_data() -> dict[str, Any]:
    return tomllib.loads(DEMO.read_text(encoding="utf-8"))


def problems(data: dict[str, Any], source: str = "config/demo.toml") -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse_config(data, source)
    assert err.value.message() == "\n".join(err.value.problems)
    return err.value.problems


def test_demo_and_default_load() -> None:
    demo = load_config(DEMO)
    assert demo.source == str(DEMO) and len(demo.services) == 10 and len(demo.counters) == 12
    default = load_config(DEFAULT)
    assert default.centre.timezone == "Asia/Ho_Chi_Minh" and default.tz.key == "Asia/Ho_Chi_Minh"
    assert [s.code for s in default.services] == ["DKKD", "TKQ"]


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every key path of the schema, walking nested models and lists of models."""
    out = []
    for name, field in model.model_fields.items():
        out.append(prefix + name)
        ann = field.annotation
        for arg in (ann, *typing.get_args(ann)):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and arg.__name__ != "TimeRange":
                out += _keys(arg, prefix + name + ".")
    return out


def test_default_mentions_every_key_of_the_schema() -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    tables = set(re.findall(r"^\[\[?([a-z_]+)\]\]?", text, re.M))
    keys = set(re.findall(r"^#? ?([a-z_]+) = ", text, re.M))
    missing = []
    for path in _keys(CentreConfig):
        *parents, leaf = path.split(".")
        if parents and parents[0] not in tables:
            missing.append(path)
        elif not parents and leaf not in tables:
            missing.append(path)
        elif parents and leaf not in keys:
            missing.append(path)
    assert missing == []
    assert len(_keys(CentreConfig)) > 50


def test_default_comments_are_in_vietnamese_and_english() -> None:
    comments = [line for line in DEFAULT.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert any("Múi giờ" in c for c in comments) and any("time zone" in c for c in comments)


def test_commented_out_keys_of_the_default_are_valid_too() -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    uncommented = re.sub(r"^# ([a-z_]+ = )", r"\1", text, flags=re.M)
    cfg = parse_config(tomllib.loads(uncommented), "default (uncommented)")
    assert cfg.centre.status_url and cfg.services[0].daily_limit == 300 and cfg.counter_app.counter == 1


def test_field_problem_names_file_key_and_expectation() -> None:
    data = demo_data()
    data["services"][2]["prefix"] = "a1"
    assert problems(data) == ['config/demo.toml: services[2].prefix: must be 1 to 3 capital letters, got "a1"']


@pytest.mark.parametrize(
    ("section", "key", "value", "expected"),
    [
        ("centre", "timezone", "Mars/Olympus",
         'centre.timezone: must be an IANA time zone such as "Asia/Ho_Chi_Minh", got "Mars/Olympus"'),
        ("centre", "opening_hours", ["7:30-11:30"],
         'centre.opening_hours: must look like "07:30-11:30", got "7:30-11:30"'),
        ("centre", "opening_hours", ["11:30-07:30"],
         'centre.opening_hours: end must be after start, got "11:30-07:30"'),
        ("centre", "status_url", "https://x/ve", 'centre.status_url: must contain "{id}" where the ticket id goes, got "https://x/ve"'),
        ("centre", "opening_days", [0], "centre.opening_days[0]: Input should be greater than or equal to 1, got 0"),
        ("display", "region", "west", "display.region: Input should be 'north' or 'south', got 'west'"),
        ("display", "template", "Mời số {number}", "display.template: must contain {counter}, got \"Mời số {number}\""),
        ("display", "template", "{number} {counter} {room}",
         "display.template: may use only {number} and {counter} in braces"),
        ("printer", "paper_mm", 70, "printer.paper_mm: Input should be 58 or 80, got 70"),
        ("security", "pin_max_attempts", 0,
         "security.pin_max_attempts: Input should be greater than or equal to 3, got 0"),
        ("security", "lockout_minutes", 10**12,
         "security.lockout_minutes: Input should be less than or equal to 1440, got 1000000000000"),
        ("security", "pin_max_attempts", 1000,
         "security.pin_max_attempts: Input should be less than or equal to 10, got 1000"),
        ("kiosk", "language", "fr", "kiosk.language: Input should be 'vi' or 'en', got 'fr'"),
    ],
)
def test_each_bad_value_is_reported(section: str, key: str, value: object, expected: str) -> None:
    data = demo_data()
    data[section][key] = value
    [line] = problems(data)
    assert line.startswith("config/demo.toml: " + expected)


def test_service_format_and_code_problems() -> None:
    data = demo_data()
    data["services"][0]["number_format"] = "{prefix.x}{n}"
    data["services"][1]["code"] = "dd"
    data["services"][3]["number_format"] = "{prefix}"
    data["services"][4]["daily_limit"] = 0
    out = problems(data)
    assert out[0].startswith('config/demo.toml: services[0].number_format: must use only {prefix} and {n}')
    assert out[1].startswith('config/demo.toml: services[1].code: must be capital letters')
    assert out[2] == 'config/demo.toml: services[3].number_format: must contain the number {n}, got "{prefix}"'
    assert out[3] == "config/demo.toml: services[4].daily_limit: Input should be greater than or equal to 1, got 0"


def test_unknown_keys_are_rejected_everywhere() -> None:
    data = demo_data()
    data["centre"]["colour"] = "red"
    data["services"][1]["prefx"] = "B"
    data["printr"] = {"url": "x"}
    data["source"] = "sneaky"
    hint = "unknown key; check the spelling against config/default.toml"
    assert problems(data) == [
        f"config/demo.toml: centre.colour: {hint}",
        f"config/demo.toml: services[1].prefx: {hint}",
        f"config/demo.toml: printr: {hint}",
        f"config/demo.toml: source: {hint}",
    ]


def test_missing_required_keys() -> None:
    data = demo_data()
    del data["centre"]["name"]
    del data["counters"]
    assert problems(data) == ["config/demo.toml: centre.name: is required", "config/demo.toml: counters: is required"]


def test_cross_checks() -> None:
    data = demo_data()
    data["services"][3]["prefix"] = "A"
    data["services"][4]["code"] = "DKKD"
    data["counters"][1]["services"] = ["DKKD", "NOPE"]
    data["counters"][2]["number"] = 1
    data["counter_app"] = {"counter": 42}
    data["priority_groups"][1]["code"] = "elderly"
    out = problems(data)
    assert set(out) == {
        "config/demo.toml: services[4].code: duplicates services[0].code ('DKKD'); each must be unique",
        "config/demo.toml: services[3].prefix: duplicates services[0].prefix ('A'); each must be unique",
        "config/demo.toml: counters[2].number: duplicates counters[0].number (1); each must be unique",
        "config/demo.toml: priority_groups[1].code: duplicates priority_groups[0].code ('elderly'); "
        "each must be unique",
        'config/demo.toml: counters[1].services[1]: unknown service code "NOPE"; '
        "known: CT, DD, DKKD, HT, LDTBXH, TKQ, TNMT, XD, YT",
        "config/demo.toml: counter_app.counter: must be one of the configured counters "
        "(1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12), got 42",
    } | {  # GPLX was renamed away, so its counters now name an unknown service
        f'config/demo.toml: counters[{i}].services[0]: unknown service code "GPLX"; '
        "known: CT, DD, DKKD, HT, LDTBXH, TKQ, TNMT, XD, YT"
        for i in (6, 7)
    }


def test_cross_checks_are_reported_with_field_problems() -> None:
    data = demo_data()
    data["services"][2]["prefix"] = "a1"
    data["services"][3]["prefix"] = "A"
    out = problems(data)
    assert out == [
        'config/demo.toml: services[2].prefix: must be 1 to 3 capital letters, got "a1"',
        "config/demo.toml: services[3].prefix: duplicates services[0].prefix ('A'); each must be unique",
    ]


def test_numbers_of_two_services_must_differ() -> None:
    data = demo_data()
    data["services"][0]["number_format"] = "{n:03d}"
    data["services"][1]["number_format"] = "{n:03d}"
    [line] = problems(data)
    assert line.startswith("config/demo.toml: services[1].number_format: gives the same ticket numbers as services[0]")


def test_a_code_equal_to_another_prefix_is_ambiguous() -> None:
    data = demo_data()
    data["services"].append({"code": "B", "name_vi": "Bảo hiểm", "prefix": "Z"})
    [line] = problems(data)
    assert line.startswith("config/demo.toml: services[10].code: 'B' is also the prefix of services[1]")


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "nope.toml")
    assert err.value.problems == [f"{tmp_path / 'nope.toml'}: file not found; pass --config PATH or set LOBBY_CONFIG"]
    bad = tmp_path / "bad.toml"
    bad.write_text("[centre\nname = 1", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(bad)
    assert err.value.problems[0].startswith(f"{bad}: not valid TOML")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("name = 'Đ'".encode("utf-16"))
    with pytest.raises(ConfigError) as err:
        load_config(latin)
    assert "UTF-8" in err.value.problems[0]


def test_text_is_nfc_and_helpers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = demo_data()
    data["services"][0]["name_vi"] = "Đăng ky\u0301 kinh doanh"  # decomposed accent
    cfg = parse_config(data)
    assert cfg.service("dkkd").name_vi == "Đăng ký kinh doanh"
    assert cfg.service("A").code == "DKKD" and cfg.service("DKKD").name("en") == "Business registration"
    assert cfg.counter(4).services == ["DD", "TNMT"]
    assert cfg.priority_group("merit").needs_pin
    with pytest.raises(UnknownService):
        cfg.service("ZZ")
    with pytest.raises(UnknownCounter):
        cfg.counter(99)
    with pytest.raises(UnknownPriorityGroup):
        cfg.priority_group("vip")
    monkeypatch.setenv("LOBBY_CONFIG", str(tmp_path / "c.toml"))
    assert default_config_path() == tmp_path / "c.toml"
    monkeypatch.delenv("LOBBY_CONFIG")
    assert default_config_path() == DEMO


def test_counter_names_in_both_languages() -> None:
    cfg = load_config(DEMO)
    four = cfg.counter(4)
    assert four.label("vi") == "Quầy số 4 – Đất đai, Tài nguyên và Môi trường"
    assert four.label("en") == "Counter 4 – Land and Environment"
    bare = four.model_copy(update={"name": "", "name_en": ""})
    assert (bare.label("vi"), bare.label("en")) == ("Quầy số 4", "Counter 4")


@pytest.mark.parametrize(("path", "huge"), [
    (("security", "lockout_minutes"), 10**30), (("security", "pin_max_attempts"), 10**30),
    (("services", 0, "first_number"), 10**30), (("services", 0, "daily_limit"), 10**30),
    (("services", 0, "target_wait_min"), 10**30), (("services", 0, "default_service_min"), 1e308),
    (("counters", 0, "number"), 10**30), (("priority_policy", "max_consecutive"), 10**30),
    (("printer", "timeout_s"), 1e308), (("display", "stale_after_s"), 10**30),
    (("display", "highlight_s"), 10**30), (("kiosk", "idle_home_s"), 10**30),
    (("kiosk", "attract_after_s"), 10**30), (("kiosk", "guard_timeout_s"), 10**30),
    (("counter_app", "idle_signout_min"), 10**30), (("counter_app", "rating_timeout_s"), 10**30),
    (("counter_app", "counter"), 10**30),
])
def test_every_duration_and_count_has_a_sane_upper_bound(path: tuple[object, ...], huge: object) -> None:
    """An oversized value used to pass and crash later (a lockout that never locks: unlimited guessing)."""
    data = demo_data()
    node: Any = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(key, str) else node[key]
    node[path[-1]] = huge
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    assert any("less than or equal" in p for p in err.value.problems), err.value.problems
