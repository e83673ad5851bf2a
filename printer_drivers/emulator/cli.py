"""``lobby-printer-emulator``: run the emulator, or switch a running one's state."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from printer_drivers.emulator.control import is_loopback, send_command
from printer_drivers.emulator.core import PrinterCore
from printer_drivers.emulator.serial_pty import SerialPrinterEmulator
from printer_drivers.emulator.tcp import PrinterEmulator

EPILOG = """\
switching the state of a running emulator (from the demo, a test or a shell):
  lobby-printer-emulator --port 9100 --set paper_out=on
  lobby-printer-emulator --port 9100 --set paper_out=off cover_open=on
  lobby-printer-emulator --port 9100 --set offline=off mute=off vanish_after=none
This talks to the control port (--port + 1 unless --control-port is given); you can
also send the lines yourself, e.g. `echo "set offline=on" | nc 127.0.0.1 9101`.
Commands: "set NAME=VALUE ...", "get", "tickets". Switches: paper_out, cover_open,
offline, paper_near_end, mute, garbled (on/off); vanish_after, hang_after (bytes, or none).

On start it prints one line, e.g.
  ready tcp=127.0.0.1:9100 control=127.0.0.1:9101 out=var/emulator
and then writes each ticket (cut to cut) as OUT/ticket-0001.png, ticket-0002.png...
Print to it with the printer URL tcp://127.0.0.1:9100 (or the pty shown with --pty).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lobby-printer-emulator",
        description="An ESC/POS thermal printer emulator that writes each ticket as a PNG.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=9100, help="printer port (default 9100; 0 picks one)")
    parser.add_argument("--out", type=Path, default=Path("var/emulator"), help="directory for ticket PNGs")
    parser.add_argument("--paper", type=int, choices=(58, 80), default=80, help="paper width in mm")
    parser.add_argument(
        "--control-port", type=int, default=None,
        help="control port for --set and state switches (default --port + 1, or a free one with --port 0)",
    )
    parser.add_argument("--control-host", default="127.0.0.1",
                        help="address of the control port (default 127.0.0.1; another needs --control-beyond-loopback)")
    parser.add_argument("--control-beyond-loopback", action="store_true",
                        help="really let the control port listen on --control-host beyond this machine")
    parser.add_argument("--pty", action="store_true", help="also emulate a serial printer on a pseudo-terminal")
    parser.add_argument("--pty-link", type=Path, help="make this path a symlink to the pty device")
    parser.add_argument(
        "--set", nargs="+", metavar="NAME=VALUE",
        help="do not run: switch the state of the emulator already running on --port",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    control_port = args.control_port
    if control_port is None:
        control_port = args.port + 1 if args.port else 0
    if args.set:
        try:
            reply = send_command(args.control_host, control_port, "set " + " ".join(args.set))
        except OSError as exc:
            print(f"no emulator control port at {args.control_host}:{control_port}: {exc}", file=sys.stderr)
            return 2
        print(reply)
        return 0 if reply.startswith("ok") else 1
    if not is_loopback(args.control_host) and not args.control_beyond_loopback:
        print(f"the control port listens on loopback only; to listen on {args.control_host} add "
              "--control-beyond-loopback as well", file=sys.stderr)
        return 2
    return run(args, control_port)


def run(args: argparse.Namespace, control_port: int) -> int:
    core = PrinterCore(args.out, paper_mm=args.paper)
    emulator = PrinterEmulator(args.host, args.port, args.out, control_port=control_port, core=core,
                               control_host=args.control_host, control_beyond_loopback=args.control_beyond_loopback)
    serial = SerialPrinterEmulator(core=core) if args.pty else None
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    emulator.start()
    line = f"ready tcp={args.host}:{emulator.port} control={args.control_host}:{emulator.control_port} out={args.out}"
    if serial is not None:
        serial.start()
        line += f" pty={serial.device}"
        if args.pty_link:
            args.pty_link.unlink(missing_ok=True)
            args.pty_link.symlink_to(serial.device)
    print(line, flush=True)
    try:
        done.wait()
    finally:
        if serial is not None:
            serial.stop()
            if args.pty_link:
                args.pty_link.unlink(missing_ok=True)
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
