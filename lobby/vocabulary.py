"""The words of the queue, once: ticket states, event kinds, counter states, and the named groups of them.

They are ``StrEnum``s, so each member *is* its string: it is stored in the database
as is, compares equal to the text read back (``ticket.status == TicketState.WAITING``)
and serialises to JSON without help. A new event kind (a web app, dossiers...) is
added here, in its own block, and nowhere else.
"""
from __future__ import annotations

from enum import StrEnum


class TicketState(StrEnum):
    """Where a ticket is: ``waiting → called → serving → done``, with the side roads."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class CounterState(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class EventKind(StrEnum):
    """The ``kind`` of an ``event`` row: what happened."""

    # a ticket
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    SERVING = "serving"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    PARKED = "parked"
    RESUMED = "resumed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    RATED = "rated"
    # the day
    DAY_CLOSED = "day_closed"
    # counters and the people at them
    COUNTER_OPENED = "counter_opened"
    COUNTER_PAUSED = "counter_paused"
    COUNTER_CLOSED = "counter_closed"
    SIGNED_IN = "signed_in"
    SIGNED_OUT = "signed_out"
    PIN_OK = "pin_ok"
    PIN_FAILED = "pin_failed"
    ACCOUNT_LOCKED = "account_locked"
    # printers
    PRINTER_FAULT = "printer_fault"
    PRINTER_OK = "printer_ok"
    # dossiers (lobby/dossiers): received, ready, late, collected; checked at a kiosk, a new promise
    DOSSIER_RECEIVED = "dossier_received"
    DOSSIER_READY = "dossier_ready"
    DOSSIER_OVERDUE = "dossier_overdue"
    DOSSIER_RESCHEDULED = "dossier_rescheduled"
    DOSSIER_RETURNED = "dossier_returned"
    DOSSIER_CHECKED = "dossier_checked"
    # the manager's view (lobby/monitor): web sign-in, service pauses, staff accounts, alerts
    WEB_PASSWORD_SET = "web_password_set"
    WEB_SIGN_IN_FAILED = "web_sign_in_failed"
    WEB_SIGNED_IN = "web_signed_in"
    WEB_SIGNED_OUT = "web_signed_out"
    SERVICE_PAUSED = "service_paused"
    SERVICE_RESUMED = "service_resumed"
    STAFF_ADDED = "staff_added"
    STAFF_ROLE_CHANGED = "staff_role_changed"
    STAFF_PIN_RESET = "staff_pin_reset"
    STAFF_DEACTIVATED = "staff_deactivated"
    STAFF_REACTIVATED = "staff_reactivated"
    ALERT_RAISED = "alert_raised"
    ALERT_ESCALATED = "alert_escalated"
    ALERT_ACKNOWLEDGED = "alert_acknowledged"
    ALERT_CLEARED = "alert_cleared"
    REPRINT_REQUESTED = "reprint_requested"
    # feedback (lobby/feedback): the reasons of a rating, remarks (góp ý, phản ánh) and their answers
    RATING_REASONS = "rating_reasons"
    REMARK_RECEIVED = "remark_received"
    REMARK_ASSIGNED = "remark_assigned"
    REMARK_ANSWERED = "remark_answered"
    REMARK_CLOSED = "remark_closed"
    # read back from a store written by a newer version that knows kinds this one does not
    UNKNOWN = "unknown"

    @classmethod
    def read(cls, text: str) -> EventKind:
        """The kind of a stored row; UNKNOWN (never an error) for a kind this version does not know."""
        try:
            return cls(text)
        except ValueError:
            return cls.UNKNOWN


#: Every state of a ticket, in the order of its life.
TICKET_STATES: tuple[TicketState, ...] = tuple(TicketState)
#: States a ticket can still leave; what is left open at the end of the day expires.
OPEN_STATES: tuple[TicketState, ...] = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING,
                                        TicketState.PARKED)
#: States of the ticket a counter is handling now (its "current" ticket).
AT_COUNTER: tuple[TicketState, ...] = (TicketState.CALLED, TicketState.SERVING)
#: States no ticket ever leaves.
FINAL_STATES: frozenset[TicketState] = frozenset(TICKET_STATES) - frozenset(OPEN_STATES)

#: A number is called to a counter: the display shows it in the counter's row and speaks it.
CALL_KINDS: frozenset[EventKind] = frozenset({EventKind.CALLED, EventKind.RECALLED})
#: The counter's row on the display empties: nobody serves there any more.
CLEAR_ROW_KINDS: frozenset[EventKind] = frozenset({EventKind.COUNTER_CLOSED, EventKind.SIGNED_OUT})
#: Events after which the waiting counts of a service may have changed.
WAITING_KINDS: frozenset[EventKind] = frozenset({
    EventKind.ISSUED, EventKind.CALLED, EventKind.RECALLED, EventKind.TRANSFERRED, EventKind.CANCELLED,
    EventKind.EXPIRED, EventKind.RESUMED, EventKind.PARKED, EventKind.DAY_CLOSED, EventKind.NO_SHOW,
})
#: Events after which a counter's queue figures or its current ticket may have changed.
QUEUE_KINDS: frozenset[EventKind] = WAITING_KINDS | {EventKind.SERVING, EventKind.FINISHED}
#: A counter opened, paused or closed, or its official changed.
COUNTER_KINDS: frozenset[EventKind] = frozenset({
    EventKind.COUNTER_OPENED, EventKind.COUNTER_PAUSED, EventKind.COUNTER_CLOSED, EventKind.SIGNED_IN,
    EventKind.SIGNED_OUT,
})
#: An official arrived at or left a counter.
SIGN_KINDS: frozenset[EventKind] = frozenset({EventKind.SIGNED_IN, EventKind.SIGNED_OUT})
#: A printer's fault raised or cleared (the guard's alert).
PRINTER_KINDS: frozenset[EventKind] = frozenset({EventKind.PRINTER_FAULT, EventKind.PRINTER_OK})
#: The event a counter moving to a state writes.
COUNTER_STATE_EVENT: dict[CounterState, EventKind] = {
    CounterState.OPEN: EventKind.COUNTER_OPENED,
    CounterState.PAUSED: EventKind.COUNTER_PAUSED,
    CounterState.CLOSED: EventKind.COUNTER_CLOSED,
}
