"""``lobby token add|list|revoke``: the HTTP API's clients (registered by ``lobby.cli``).

    lobby token add cong-dich-vu-cong --scope issue,read      # the secret, alone on the last line
    lobby token add zalo --scope read --json                   # {"name": ..., "secret": ...}
    lobby token list
    lobby token revoke zalo
"""
from __future__ import annotations

import argparse
import json
from typing import Any

from lobby.access.api_tokens import SCOPES, add_token, list_tokens, parse_scopes, revoke_token
from lobby.config import CentreConfig
from lobby.i18n import pick
from lobby.store.engine import Store


def cmd_add(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:
        client, secret = add_token(s, args.name, parse_scopes(args.scope))
    if args.json:
        print(json.dumps({"name": client.name, "scopes": sorted(client.scopes), "secret": secret}))
        return 0
    print(pick(args.lang, f"Đã tạo token «{client.name}» (quyền: {', '.join(sorted(client.scopes))}). "
                          "Mã bí mật chỉ hiện một lần, ở dòng dưới; hãy lưu lại ngay:",
               f"Created token “{client.name}” (scopes: {', '.join(sorted(client.scopes))}). "
               "The secret is shown only once, on the line below; keep it now:"))
    print(secret)
    return 0


def cmd_list(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:
        clients = list_tokens(s)
    if args.json:
        print(json.dumps([{"name": c.name, "scopes": sorted(c.scopes), "created_at": c.created_at.isoformat(),
                           "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None} for c in clients]))
        return 0
    if not clients:
        print(pick(args.lang, "Chưa có token nào.", "No tokens yet."))
    for c in clients:
        state = (pick(args.lang, f"thu hồi {c.revoked_at:%d/%m/%Y}", f"revoked {c.revoked_at:%Y-%m-%d}")
                 if c.revoked_at else pick(args.lang, "đang dùng", "active"))
        print(f"{c.name:<24} {','.join(sorted(c.scopes)):<28} {state}")
    return 0


def cmd_revoke(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:
        client = revoke_token(s, args.name)
    print(pick(args.lang, f"Đã thu hồi token «{client.name}».", f"Revoked token “{client.name}”."))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("token", help="HTTP API tokens: add, list, revoke",
                              description="Bearer tokens for the HTTP API (only a hash of each secret is stored).")
    sub = p.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    a = sub.add_parser("add", help="make a token and print its secret once")
    a.add_argument("name", help="the client's name, e.g. cong-dich-vu-cong (recorded as api:NAME on its tickets)")
    a.add_argument("--scope", required=True, help=f"comma-separated scopes: {','.join(SCOPES)}")
    a.add_argument("--json", action="store_true", help='print {"name": ..., "secret": ...}')
    a.set_defaults(handler=cmd_add)
    a = sub.add_parser("list", help="list tokens (never their secrets)")
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=cmd_list)
    a = sub.add_parser("revoke", help="stop a token from working (its record is kept)")
    a.add_argument("name")
    a.set_defaults(handler=cmd_revoke)
