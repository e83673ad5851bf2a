"""Printer alerts: a fault stays open until the same kiosk reports its printer fine again."""
from __future__ import annotations

from lobby.feed.alerts import open_printer_faults, record_printer_fault, record_printer_ok
from lobby.feed.reader import FeedReader
from lobby.store.engine import Store


def test_faults_open_and_clear_per_kiosk(store: Store) -> None:
    with store.session() as s:
        assert open_printer_faults(s) == []
    with store.session() as s:
        record_printer_fault(s, "kiosk-1", "tcp://10.0.0.5:9100", "Hết giấy / Paper out")
    with store.session() as s:
        record_printer_fault(s, "kiosk-2", "usb://04b8:0202", "Nắp mở / Cover open")
    with store.session() as s:
        faults = open_printer_faults(s)
    assert [(f.source, f.printer_url, f.message) for f in faults] == [
        ("kiosk-1", "tcp://10.0.0.5:9100", "Hết giấy / Paper out"),
        ("kiosk-2", "usb://04b8:0202", "Nắp mở / Cover open"),
    ]
    with store.session() as s:
        record_printer_ok(s, "kiosk-1", "tcp://10.0.0.5:9100")
    with store.session() as s:
        assert [f.source for f in open_printer_faults(s)] == ["kiosk-2"]
    kinds = [(e.kind, e.staff) for e in FeedReader(store).poll()]
    assert kinds == [("printer_fault", "kiosk-1"), ("printer_fault", "kiosk-2"), ("printer_ok", "kiosk-1")]
