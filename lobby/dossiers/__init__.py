"""Dossiers and results on time: a dossier's code and promise, its states, the working-day calendar,
the kiosk's "is my result ready?", the sync adapters that learn which results are ready, and the
``lobby dossier`` command. No Qt, no web framework here."""
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

__all__ = [
    "DossierInfo", "DossierState", "default_promise", "find", "find_or_none", "list_dossiers", "mark_ready",
    "mark_returned", "normalise_code", "of_ticket", "receive", "record_overdue", "state_name",
]
