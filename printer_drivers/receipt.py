"""What goes on a ticket: the receipt is worded in ``lobby.receipt`` (plain data, no store); this
package only lays it out."""

from __future__ import annotations

from lobby.receipt import ReceiptLabels, TicketReceipt

__all__ = ["ReceiptLabels", "TicketReceipt"]
