"""The Qt binding must keep Python's reference counts right: the apps run for days.

PySide6 6.12.0 on Python 3.11 releases a reference to None on every Qt call that
returns nothing (and to True on every signal emitted with it), so a kiosk clock or a
display ticker aborts the process after some thousands of calls. pyproject.toml
excludes that release; this test catches any binding that does it again.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel


class _Emitter(QObject):
    fired = Signal(bool)


def test_qt_calls_keep_none_and_true_alive(qapp: QApplication) -> None:
    label = QLabel()
    emitter = _Emitter()
    emitter.fired.connect(lambda _v: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("A023")
        emitter.fired.emit(True)
    assert sys.getrefcount(None) - none_before > -50
    assert sys.getrefcount(True) - true_before > -50
