"""The ``[dossiers]`` config section: realistic demo values, and one clear line per mistake."""
from __future__ import annotations

import tomllib
from datetime import date, time
from typing import Any

import pytest

from lobby.config import load_config, parse_config
from lobby.errors import ConfigError
from support import DEMO_CONFIG, ROOT


def _problems(section: dict[str, Any]) -> list[str]:
    data = tomllib.loads(DEMO_CONFIG.read_text(encoding="utf-8"))
    data["dossiers"].update(section)
    with pytest.raises(ConfigError) as err:
        parse_config(data, "demo.toml")
    return err.value.problems


def test_demo_and_default_values() -> None:
    demo = load_config(DEMO_CONFIG).dossiers
    assert demo.results_service == "TKQ" and demo.days_for("DD") == 10 and demo.days_for("GPLX") == 5
    assert demo.due_time == time(16, 0) and date(2026, 9, 2) in demo.holidays
    assert demo.source().kind == "csv" and demo.source().code_field == "ma_ho_so"
    default = load_config(ROOT / "config" / "default.toml").dossiers
    assert default.sync == "none" and default.days_for("DKKD") == 3


@pytest.mark.parametrize(("section", "line"), [
    ({"results_service": "KQ"}, 'demo.toml: dossiers.results_service: unknown service code "KQ"'),
    ({"processing_days": {"DKKD": 3, "NOPE": 2}},
     'demo.toml: dossiers.processing_days.NOPE: unknown service code "NOPE"'),
    ({"processing_days": {"DKKD": 400}},
     "demo.toml: dossiers.processing_days: DKKD: must be 0 to 365 working days, got 400"),
    ({"overdue_priority": "vip"}, 'demo.toml: dossiers.overdue_priority: unknown priority group "vip"'),
    ({"due_time": "4pm"}, 'demo.toml: dossiers.due_time: must be a time of day such as "16:00"'),
    ({"holidays": ["2026-02-30"]}, "demo.toml: dossiers.holidays[0]:"),
    ({"sync": "ftp"}, "demo.toml: dossiers.sync:"),
    ({"sync_url": "file:///etc/passwd"}, 'demo.toml: dossiers.sync_url: must start with http:// or https://'),
    ({"sync_token_env": "s3cret-token"},
     "demo.toml: dossiers.sync_token_env: must be the NAME of an environment variable"),
    ({"sync_interval_s": 1}, "demo.toml: dossiers.sync_interval_s:"),
    ({"sync_colour": "red"}, "demo.toml: dossiers.sync_colour: unknown key"),
])
def test_mistakes_are_named(section: dict[str, Any], line: str) -> None:
    found = _problems(section)
    assert any(p.startswith(line) for p in found), found


def test_an_empty_due_time_means_the_time_received() -> None:
    data = tomllib.loads(DEMO_CONFIG.read_text(encoding="utf-8"))
    data["dossiers"]["due_time"] = ""
    assert parse_config(data).dossiers.due_time is None
