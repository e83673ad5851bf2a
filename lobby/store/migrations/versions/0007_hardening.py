"""hardening: PIN checks behind SECURITY DEFINER functions, event kinds per role, tickets born waiting

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

- ``event_kind_grant`` (both stores; empty on SQLite): which event kinds a PostgreSQL role
  may insert. ``docs/deploy/postgres-roles.sql`` fills it next to the GRANTs it belongs to.
- PostgreSQL only, owned by the schema owner (the role that runs ``lobby init``), so that
  ``SECURITY DEFINER`` runs with the owner's rights and never a superuser's, and so that a
  ``pg_dump`` of the owner's database carries them with the tables they guard:

  ``lobby_pin_spec(username)`` / ``lobby_pin_specs(roles)``: the scheme, cost and salt of a
  stored PIN hash, never its digest (the app computes scrypt itself: PostgreSQL has none);
  ``lobby_check_pin(...)`` / ``lobby_check_any_pin(...)``: compare the digest the app
  computed, record the attempt (``pin_failed``, ``account_locked``, ``pin_ok``) and keep the
  lockout state, all in the caller's transaction. The attempt limit and lockout length are
  clamped to the ranges the config loader allows, so a caller cannot ask for unlimited
  tries; a time given by the caller is used only when the session's login role owns the
  schema (tests), every app role gets the server's clock.

  Triggers ``event_kind_guard`` (an event's kind must be granted to the inserting role in
  ``event_kind_grant``) and ``ticket_insert_guard`` (a ticket is inserted waiting, at no
  counter, never called): both let the schema owner (migrations, ``lobby demo-history``)
  and the definer functions above through. Each function has a fixed ``search_path``.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FIXED_PATH = "SET search_path = pg_catalog, public, pg_temp"

_OWNER = f"""
CREATE FUNCTION lobby_is_schema_owner(r name) RETURNS boolean
LANGUAGE sql STABLE {FIXED_PATH} AS $$
  SELECT pg_has_role(r, c.relowner, 'MEMBER') FROM pg_class c WHERE c.oid = 'public.event'::regclass
$$;

CREATE FUNCTION lobby_clock(p_at timestamp) RETURNS timestamp
LANGUAGE sql STABLE {FIXED_PATH} AS $$
  SELECT CASE WHEN p_at IS NOT NULL AND lobby_is_schema_owner(session_user) THEN p_at
              ELSE (now() AT TIME ZONE 'UTC')::timestamp END
$$;

CREATE FUNCTION lobby_spec(pin_hash text) RETURNS text
LANGUAGE sql IMMUTABLE {FIXED_PATH} AS $$ SELECT regexp_replace(pin_hash, '\\$[^$]*$', '') $$;
"""

_SPECS = f"""
CREATE FUNCTION lobby_pin_spec(p_username text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER {FIXED_PATH} AS $$
  SELECT lobby_spec(pin_hash) FROM staff WHERE username = p_username
$$;

CREATE FUNCTION lobby_pin_specs(p_roles text[]) RETURNS TABLE (staff_id integer, spec text)
LANGUAGE sql STABLE SECURITY DEFINER {FIXED_PATH} AS $$
  SELECT id, lobby_spec(pin_hash) FROM staff WHERE role = ANY (p_roles) AND active ORDER BY id
$$;
"""

_CHECK_PIN = f"""
CREATE FUNCTION lobby_check_pin(p_username text, p_spec text, p_digest text, p_max integer,
                                p_lock_minutes integer, p_at timestamp DEFAULT NULL)
RETURNS TABLE (outcome text, staff_id integer, remaining integer, locked_until timestamp)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER {FIXED_PATH} AS $$
#variable_conflict use_column
DECLARE
  t timestamp := lobby_clock(p_at);
  max_tries integer := least(greatest(coalesce(p_max, 5), 3), 10);
  lock_for interval := make_interval(mins => least(greatest(coalesce(p_lock_minutes, 15), 5), 1440));
  s record;
  failed integer;
  last_id bigint;
BEGIN
  SELECT id, username, pin_hash, failed_pins, staff.locked_until AS lock_end, active INTO s
    FROM staff WHERE username = p_username FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown'::text, NULL::integer, 0, NULL::timestamp; RETURN;
  END IF;
  IF lobby_spec(s.pin_hash) IS DISTINCT FROM p_spec THEN  -- re-PINned meanwhile: the caller retries
    RETURN QUERY SELECT 'stale'::text, s.id, 0, NULL::timestamp; RETURN;
  END IF;
  IF s.lock_end IS NOT NULL AND s.lock_end > t THEN
    RETURN QUERY SELECT 'locked'::text, s.id, 0, s.lock_end; RETURN;
  END IF;
  IF s.active AND split_part(s.pin_hash, '$', 6) = p_digest THEN
    UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE id = s.id;
    RETURN QUERY SELECT 'ok'::text, s.id, max_tries, NULL::timestamp; RETURN;
  END IF;
  failed := s.failed_pins + 1;
  INSERT INTO event (at, kind, staff_id, actor) VALUES (t, 'pin_failed', s.id, s.username) RETURNING id INTO last_id;
  IF failed >= max_tries THEN
    UPDATE staff SET failed_pins = 0, locked_until = t + lock_for WHERE id = s.id;
    INSERT INTO event (at, kind, staff_id, actor) VALUES (t, 'account_locked', s.id, s.username)
      RETURNING id INTO last_id;
    PERFORM pg_notify('lobby_events', last_id::text);
    RETURN QUERY SELECT 'locked'::text, s.id, 0, t + lock_for; RETURN;
  END IF;
  UPDATE staff SET failed_pins = failed WHERE id = s.id;
  PERFORM pg_notify('lobby_events', last_id::text);
  RETURN QUERY SELECT 'wrong'::text, s.id, max_tries - failed, NULL::timestamp;
END
$$;
"""

_CHECK_ANY = f"""
CREATE FUNCTION lobby_check_any_pin(p_source text, p_roles text[], p_ids integer[], p_digests text[],
                                    p_max integer, p_lock_minutes integer, p_at timestamp DEFAULT NULL)
RETURNS TABLE (outcome text, staff_id integer, remaining integer, locked_until timestamp)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER {FIXED_PATH} AS $$
#variable_conflict use_column
DECLARE
  t timestamp := lobby_clock(p_at);
  max_tries integer := least(greatest(coalesce(p_max, 5), 3), 10);
  lock_for interval := make_interval(mins => least(greatest(coalesce(p_lock_minutes, 15), 5), 1440));
  last_ok bigint;
  failures integer;
  last_failure timestamp;
  everywhere integer;
  match integer;
  last_id bigint;
BEGIN
  IF p_ids IS NULL OR p_digests IS NULL OR cardinality(p_ids) <> cardinality(p_digests)
     OR cardinality(p_ids) <> (SELECT count(DISTINCT i) FROM unnest(p_ids) AS i) THEN
    RAISE EXCEPTION 'lobby_check_any_pin: one digest per staff id, each id once' USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('lobby_keypad:' || coalesce(p_source, '')));
  SELECT coalesce(max(id), 0) INTO last_ok FROM event WHERE kind = 'pin_ok' AND actor = p_source;
  SELECT count(*), max(at) INTO failures, last_failure FROM event
   WHERE kind = 'pin_failed' AND actor = p_source AND id > last_ok AND at >= t - lock_for;
  IF failures >= max_tries THEN
    RETURN QUERY SELECT 'locked'::text, NULL::integer, 0, last_failure + lock_for; RETURN;
  END IF;
  -- Keypad names are the caller's to choose: wrong PINs on all keypads together are capped too.
  SELECT count(*) INTO everywhere FROM event
   WHERE kind = 'pin_failed' AND event.staff_id IS NULL AND at >= t - lock_for;
  IF everywhere >= max_tries * 10 THEN
    RETURN QUERY SELECT 'locked'::text, NULL::integer, 0, t + lock_for; RETURN;
  END IF;
  SELECT s.id INTO match FROM staff s JOIN unnest(p_ids, p_digests) AS c(id, digest) ON c.id = s.id
   WHERE s.role = ANY (p_roles) AND s.active AND (s.locked_until IS NULL OR s.locked_until <= t)
     AND split_part(s.pin_hash, '$', 6) = c.digest
   ORDER BY s.id LIMIT 1;
  IF match IS NULL THEN
    INSERT INTO event (at, kind, actor) VALUES (t, 'pin_failed', p_source) RETURNING id INTO last_id;
    PERFORM pg_notify('lobby_events', last_id::text);
    IF max_tries - failures - 1 > 0 THEN
      RETURN QUERY SELECT 'wrong'::text, NULL::integer, max_tries - failures - 1, NULL::timestamp;
    ELSE
      RETURN QUERY SELECT 'locked'::text, NULL::integer, 0, t + lock_for;
    END IF;
    RETURN;
  END IF;
  INSERT INTO event (at, kind, staff_id, actor) VALUES (t, 'pin_ok', match, p_source) RETURNING id INTO last_id;
  PERFORM pg_notify('lobby_events', last_id::text);
  RETURN QUERY SELECT 'ok'::text, match, max_tries, NULL::timestamp;
END
$$;
"""

_GUARDS = f"""
CREATE FUNCTION lobby_kind_granted(r name, k text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER {FIXED_PATH} AS $$
  SELECT EXISTS (SELECT FROM event_kind_grant g JOIN pg_roles o ON o.rolname = g.role_name
                  WHERE g.kind = k AND pg_has_role(r, o.oid, 'MEMBER'))
$$;

CREATE FUNCTION lobby_event_kind_guard() RETURNS trigger
LANGUAGE plpgsql {FIXED_PATH} AS $$
BEGIN
  IF lobby_is_schema_owner(current_user) THEN
    RETURN NEW;
  END IF;
  IF NOT lobby_kind_granted(current_user, NEW.kind) THEN
    RAISE EXCEPTION 'role % may not record events of kind %', current_user, NEW.kind
      USING ERRCODE = '42501', HINT = 'See event_kind_grant in docs/deploy/postgres-roles.sql.';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER event_kind_guard BEFORE INSERT ON event
  FOR EACH ROW EXECUTE FUNCTION lobby_event_kind_guard();

CREATE FUNCTION lobby_ticket_insert_guard() RETURNS trigger
LANGUAGE plpgsql {FIXED_PATH} AS $$
BEGIN
  IF lobby_is_schema_owner(current_user) THEN
    RETURN NEW;
  END IF;
  IF NEW.status <> 'waiting' OR NEW.counter_id IS NOT NULL OR NEW.staff_id IS NOT NULL
     OR NEW.called_at IS NOT NULL OR NEW.last_called_at IS NOT NULL OR NEW.started_at IS NOT NULL
     OR NEW.finished_at IS NOT NULL OR coalesce(NEW.call_count, 0) <> 0 THEN
    RAISE EXCEPTION 'role % may only insert waiting tickets that no counter has called', current_user
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER ticket_insert_guard BEFORE INSERT ON ticket
  FOR EACH ROW EXECUTE FUNCTION lobby_ticket_insert_guard();
"""

_FUNCTIONS = (
    "lobby_check_any_pin(text, text[], integer[], text[], integer, integer, timestamp)",
    "lobby_check_pin(text, text, text, integer, integer, timestamp)",
    "lobby_pin_specs(text[])",
    "lobby_pin_spec(text)",
)
#: Harmless helpers (a yes/no, a clock, a string split) that the triggers call as the inserting role.
_HELPERS = (
    "lobby_event_kind_guard()", "lobby_ticket_insert_guard()", "lobby_kind_granted(name, text)",
    "lobby_spec(text)", "lobby_clock(timestamp)", "lobby_is_schema_owner(name)",
)


def upgrade() -> None:
    op.create_table(
        "event_kind_grant",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.PrimaryKeyConstraint("role_name", "kind", name=op.f("pk_event_kind_grant")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for block in (_OWNER, _SPECS, _CHECK_PIN, _CHECK_ANY, _GUARDS):
        op.execute(block)
    for signature in _FUNCTIONS:  # PostgreSQL lets PUBLIC execute a new function: the roles script grants
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ticket_insert_guard ON ticket")
        op.execute("DROP TRIGGER IF EXISTS event_kind_guard ON event")
        for signature in _FUNCTIONS + _HELPERS:
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.drop_table("event_kind_grant")
