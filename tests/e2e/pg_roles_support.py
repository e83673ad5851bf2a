"""What the PostgreSQL role tests share: a test database with this run's roles, granted by the real script.

Each role test module takes a ``cluster`` from :func:`granted_cluster`: a fresh database owned by
this run's owner role, ``lobby init`` run as that owner, then docs/deploy/postgres-roles.sql applied
twice (a re-run after an upgrade must be harmless), as the operations guide tells an installer to.
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from lobby.store.engine import Store
from lobby.store.migrate import init_store
from support import PG_ADMIN, create_pg_database, demo_config, drop_pg_database, require_pg

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "deploy" / "postgres-roles.sql"
KINDS = ("owner", "kiosk", "counter", "display", "manager", "web")


@dataclass
class Cluster:
    """One test database with this run's roles, and stores opened as each role."""

    db: str
    url: str
    roles: dict[str, str]
    stores: list[Store] = field(default_factory=list)

    def url_as(self, kind: str, db: str | None = None) -> str:
        u = make_url(self.url).set(username=self.roles[kind])
        if db is not None:
            u = u.set(database=db)
        return u.render_as_string(hide_password=False)

    def store(self, kind: str) -> Store:
        s = Store(self.url_as(kind))
        self.stores.append(s)
        return s

    def admin(self, db: str | None = None) -> psycopg.Connection:
        return psycopg.connect(make_url(self.url).set(database=db or self.db).render_as_string(hide_password=False),
                               autocommit=True)


def script_for(roles: dict[str, str]) -> str:
    """The grants script with this run's role names instead of lobby_owner, lobby_kiosk …"""
    sql = SCRIPT.read_text(encoding="utf-8")
    return re.sub(r"\blobby_(owner|kiosk|counter|display|manager|web)\b", lambda m: roles[m.group(1)], sql)


def apply_script(cluster: Cluster, db: str | None = None) -> None:
    """Run the script as the superuser, as `psql -v ON_ERROR_STOP=1 -d lobby -f postgres-roles.sql` would."""
    with cluster.admin(db) as conn:
        conn.execute(script_for(cluster.roles))


def denied(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, psycopg.errors.InsufficientPrivilege)


def drop_roles(roles: dict[str, str]) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for name in roles.values():
            conn.execute(f'DROP ROLE IF EXISTS "{name}"')


@contextmanager
def granted_cluster(name: str) -> Iterator[Cluster]:
    """A database ``lobby_roles_{name}_…`` with this run's roles and the grants applied; dropped afterwards."""
    require_pg()
    tag = uuid.uuid4().hex[:8]
    roles = {kind: f"lobby_t{tag}_{kind}" for kind in KINDS}
    db = f"lobby_roles_{name}_{tag}"
    c = Cluster(db=db, url=create_pg_database(db), roles=roles)
    try:
        # Step 1 of the guide: the owner role owns the database (and so the public schema).
        with c.admin() as conn:
            conn.execute(f'CREATE ROLE "{roles["owner"]}" LOGIN')
            conn.execute(f'ALTER DATABASE "{db}" OWNER TO "{roles["owner"]}"')
        # Step 2: `lobby init` as the owner.
        owner = Store(c.url_as("owner"))
        init_store(owner, demo_config())
        owner.dispose()
        # Step 3: the grants, twice (a re-run after an upgrade must be harmless).
        apply_script(c)
        apply_script(c)
        yield c
    finally:
        for made in c.stores:
            made.dispose()
        drop_pg_database(db)
        drop_roles(roles)
