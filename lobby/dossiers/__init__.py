"""Dossiers and results on time: a dossier's code and promise, its states, the working-day calendar,
the kiosk's "is my result ready?", the sync adapters that learn which results are ready, and the
``lobby dossier`` command. No Qt, no web framework here.

``from lobby import dossiers; dossiers.receive(...)`` works; the names are loaded on first use, so
that ``printer_drivers`` can import the apology slip's wording (``lobby.dossiers.slip``, standard
library only) without pulling in the store.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lobby.dossiers.model import DossierInfo, DossierState, normalise_code, state_name
    from lobby.dossiers.records import (
        default_promise,
        find,
        find_or_none,
        list_dossiers,
        mark_ready,
        mark_returned,
        of_ticket,
        receive,
        record_overdue,
    )

_WHERE = {
    "DossierInfo": "model", "DossierState": "model", "normalise_code": "model", "state_name": "model",
    "default_promise": "records", "find": "records", "find_or_none": "records", "list_dossiers": "records",
    "mark_ready": "records", "mark_returned": "records", "of_ticket": "records", "receive": "records",
    "record_overdue": "records",
}

__all__ = [
    "DossierInfo", "DossierState", "default_promise", "find", "find_or_none", "list_dossiers", "mark_ready",
    "mark_returned", "normalise_code", "of_ticket", "receive", "record_overdue", "state_name",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'lobby.dossiers' has no attribute {name!r}")
    return getattr(import_module(f"lobby.dossiers.{module}"), name)
