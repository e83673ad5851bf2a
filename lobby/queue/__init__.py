"""The queue: issuing, calling, serving and closing tickets, each one transaction with its event.

Issuing in ``numbering``, the call order in ``call_order``, what an official does in
``counter_actions``, closing the day in ``closing``, ratings in ``rating``, reading in ``reads``.

``from lobby import queue`` then ``queue.issue_ticket(...)`` is the surface the apps use.
"""
from lobby.queue.operations import (
    average_service_min,
    call_next,
    call_number,
    cancel,
    close_day,
    current_ticket,
    find_ticket,
    finish,
    issue_ticket,
    list_tickets,
    next_numbers,
    no_show,
    park,
    parked_tickets,
    rate,
    rating_of,
    recall,
    resume,
    service_open_problem,
    start_serving,
    still_open_until,
    today,
    transfer,
    waiting_counts,
)
from lobby.queue.reads import latest_calls
from lobby.queue.views import TicketInfo

__all__ = [
    "TicketInfo",
    "average_service_min", "call_next", "call_number", "cancel", "close_day", "current_ticket", "find_ticket",
    "finish", "issue_ticket", "latest_calls", "list_tickets", "next_numbers", "no_show", "park", "parked_tickets",
    "rate",
    "rating_of", "recall", "resume", "service_open_problem", "start_serving", "still_open_until", "today",
    "transfer", "waiting_counts",
]
