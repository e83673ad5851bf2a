"""Checks across sections: unique codes, prefixes and numbers, counters naming known services,
number formats that could print the same ticket number twice.

They work on the raw data too, so a file with a bad field and a duplicate prefix reports both.
"""
from __future__ import annotations

import re
from typing import Any

from lobby.config.dossiers import check_dossiers

JOIN = "\n"
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
    return [(i, item[key]) for i, item in items
            if isinstance(item.get(key), (str, int)) and not isinstance(item.get(key), bool)]


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
                    f"counters[{i}].services[{j}]: unknown service code \"{code}\"; "
                    f"known: {', '.join(sorted(map(str, codes)))}"
                )
    app = data.get("counter_app")
    if isinstance(app, dict) and isinstance(app.get("counter"), int) and 1 <= app["counter"] <= 999 and counters:
        numbers = {n for _, n in _field(counters, "number")}
        if app["counter"] not in numbers:
            problems.append(
                f"counter_app.counter: must be one of the configured counters "
                f"({', '.join(str(n) for n in sorted(numbers))}), got {app['counter']}"
            )
    problems += _number_clashes(services)
    problems += check_dossiers(data)
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
