"""The centre's configuration: a TOML file validated with pydantic.

Unknown keys are rejected so that a typo is reported instead of silently ignored.
Sections live in ``sections.py`` (one model each), the whole file in ``centre.py``,
checks across sections in ``checks.py``, reading in ``loader.py``.
"""
from lobby.config.base import Strict, TimeRange, Weekday, time_ranges
from lobby.config.centre import CentreConfig
from lobby.config.checks import cross_check
from lobby.config.loader import load_config, parse_config
from lobby.config.paths import DEFAULT_CONFIG, PROJECT_ROOT, default_config_path, var_dir
from lobby.config.sections import (
    CentreInfo,
    CounterAppConfig,
    CounterConfig,
    DatabaseConfig,
    DisplayConfig,
    KioskConfig,
    PrinterConfig,
    PriorityGroupConfig,
    PriorityPolicy,
    SecurityConfig,
    ServiceConfig,
)

__all__ = [
    "DEFAULT_CONFIG", "PROJECT_ROOT", "CentreConfig", "CentreInfo", "CounterAppConfig", "CounterConfig",
    "DatabaseConfig", "DisplayConfig", "KioskConfig", "PrinterConfig", "PriorityGroupConfig", "PriorityPolicy",
    "SecurityConfig", "ServiceConfig", "Strict", "TimeRange", "Weekday", "cross_check", "default_config_path",
    "load_config", "parse_config", "time_ranges", "var_dir",
]
