"""``lobby staff passwd USER --web``: set the web password of an account (the manager's pages).

Asked twice on a terminal (it is not shown); read from one line of standard input
otherwise (scripts). The PIN of the kiosk and counter stays as it is.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from lobby.config import CentreConfig
from lobby.i18n import pick
from lobby.monitor.errors import BadInput
from lobby.monitor.passwords import PASSWORD_MAX, PASSWORD_MIN, check_password, set_web_password
from lobby.store.engine import Store


def read_password(lang: str) -> str:
    prompt = pick(lang, f"Mật khẩu web mới ({PASSWORD_MIN}–{PASSWORD_MAX} ký tự): ",
                  f"New web password ({PASSWORD_MIN}–{PASSWORD_MAX} characters): ")
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = check_password(getpass.getpass(prompt))
    if getpass.getpass(pick(lang, "Nhập lại: ", "Again: ")) != first:
        raise BadInput("Hai lần nhập không khớp; chạy lại lệnh.", "The two entries differ; run the command again.")
    return first


def cmd_web_password(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    password = read_password(args.lang)
    with store.session() as s:
        set_web_password(s, args.username, password, actor="cli")
    print(pick(args.lang, f"Đã đặt mật khẩu web của {args.username} (và mở khóa nếu bị khóa).",
               f"Set the web password of {args.username} (and lifted any lock)."))
    return 0
