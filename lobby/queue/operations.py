"""Every queue operation in one place to import from (the rules themselves live in the modules named below).

``from lobby import queue`` then ``queue.issue_ticket(...)`` is the usual way; this module
keeps ``from lobby.queue.operations import call_next`` working for code written before the split.
"""
from lobby.queue.closing import close_day, still_open_until
from lobby.queue.counter_actions import (
    call_next,
    call_number,
    cancel,
    finish,
    no_show,
    park,
    recall,
    resume,
    start_serving,
    transfer,
)
from lobby.queue.numbering import average_service_min, issue_ticket, limit_reached, service_open_problem
from lobby.queue.rating import rate, rating_of
from lobby.queue.reads import current_ticket, find_ticket, list_tickets, next_numbers, parked_tickets, waiting_counts
from lobby.queue.rows import today

__all__ = [
    "average_service_min", "call_next", "call_number", "cancel", "close_day", "current_ticket", "find_ticket",
    "finish", "issue_ticket", "limit_reached", "list_tickets", "next_numbers", "no_show", "park", "parked_tickets",
    "rate", "rating_of", "recall", "resume", "service_open_problem", "start_serving", "still_open_until", "today",
    "transfer", "waiting_counts",
]
