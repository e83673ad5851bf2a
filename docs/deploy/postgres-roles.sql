-- Lobby Queue: least-privilege PostgreSQL roles, one per kind of app.
-- Lobby Queue: mỗi loại ứng dụng một vai trò PostgreSQL, chỉ với quyền nó thật sự cần.
--
--   lobby_owner    owns the schema; runs `lobby init` (and upgrades), backups (pg_dump)
--   lobby_kiosk    issues tickets, records printer faults and wrong guard PINs
--   lobby_counter  calls / serves / finishes / transfers tickets, rating panel, `lobby close-day`
--   lobby_display  reads only (LISTEN needs no grant); its transactions are read-only by default
--   lobby_manager  reads everything (reports) and manages staff accounts (`lobby staff ...`)
--
-- Order (see docs/operations.md, "PostgreSQL trên mạng LAN"):
--   1. as postgres:     CREATE ROLE lobby_owner LOGIN;  CREATE DATABASE lobby OWNER lobby_owner;
--   2. as lobby_owner:  LOBBY_DB=postgresql://lobby_owner@SERVER/lobby lobby init
--   3. as postgres:     psql -v ON_ERROR_STOP=1 -d lobby -f postgres-roles.sql
--   4. as postgres:     \password lobby_kiosk   (and each other role), then pg_hba.conf
--
-- Re-run step 3 after every `lobby init` that upgrades the schema: the script first
-- takes every privilege of the app roles away and then grants exactly what this
-- version of the apps uses, in one transaction, so running it again is harmless.
-- It contains plain SQL only (no psql backslash commands).
--
-- Which statement of lobby/ needs which privilege:
--   queue.issue_ticket     INSERT ticket; INSERT .. ON CONFLICT DO UPDATE day_sequence; INSERT event
--   queue.call_next etc.   SELECT .. FOR UPDATE counter, ticket (needs UPDATE on a column);
--                          UPDATE ticket, counter; upsert day_sequence.waiting; INSERT event
--   queue.rate             INSERT rating, INSERT event
--   queue.close_day        UPDATE ticket, day_sequence, counter; INSERT event
--   reports (day summaries) SELECT day_summary*; a report that works out a settled day stores it:
--                          DELETE + INSERT day_summary, day_summary_group, day_summary_values (section 14)
--   staff.verify_pin       EXECUTE lobby_pin_spec, lobby_check_pin (migration 0007: SECURITY DEFINER
--                          functions owned by lobby_owner; they compare the digest, count the failure,
--                          lock the account and record pin_failed / account_locked themselves)
--   staff.verify_any_pin   EXECUTE lobby_pin_specs, lobby_check_any_pin (records pin_failed / pin_ok)
--   No app role can read staff.pin_hash or write failed_pins / locked_until / pin_ok events: a
--   stolen kiosk login can neither search the hashes offline nor reset a lockout.
--   Event kinds: a trigger (migration 0007) lets each role insert only the kinds listed for it in
--   event_kind_grant (section 4b); a ticket is inserted only waiting and uncalled (trigger too).
--   alerts.record_printer_fault / _ok   INSERT event
--   staff.add_staff / set_pin           INSERT staff / UPDATE staff
--   events.record_event    also SELECT pg_notify(...), which needs no privilege
--   every app              SELECT alembic_version (the schema check) and the tables it shows

BEGIN;

-- 0. The tables must exist: this script grants on them.
DO $$
BEGIN
  IF to_regclass('public.ticket') IS NULL OR to_regclass('public.alembic_version') IS NULL THEN
    RAISE EXCEPTION 'Lobby Queue tables not found in database "%". Chưa có bảng của Lobby Queue trong cơ sở dữ liệu này.', current_database()
      USING HINT = 'Run "lobby init" as lobby_owner first (LOBBY_DB=postgresql://lobby_owner@SERVER/' || current_database()
                   || ' lobby init), then run this script again. / Chạy "lobby init" bằng vai trò lobby_owner trước, rồi chạy lại tệp này.';
  END IF;
END
$$;

-- 1. The roles (cluster-wide), created when missing. No passwords here: set them with
--    \password in psql so they never sit in a file.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['lobby_owner', 'lobby_kiosk', 'lobby_counter', 'lobby_display', 'lobby_manager'] LOOP
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I LOGIN', r);
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION', r);
  END LOOP;
END
$$;

-- The display never writes; make that the default even for a hand-typed SQL session.
ALTER ROLE lobby_display SET default_transaction_read_only = on;

-- 2. The database: only the lobby roles may connect; nobody else may create objects.
DO $$
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO lobby_kiosk, lobby_counter, lobby_display, lobby_manager',
                 current_database());
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO lobby_kiosk, lobby_counter, lobby_display, lobby_manager;

-- 3. Start from nothing (column privileges go with the table's), so a re-run after an
--    upgrade leaves exactly the privileges below.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM lobby_kiosk, lobby_counter, lobby_display, lobby_manager;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM lobby_kiosk, lobby_counter, lobby_display, lobby_manager;

-- 4. Reading. Every screen joins tickets with services, counters and staff names; the
--    change feed reads event; the schema check reads alembic_version.
GRANT SELECT ON alembic_version, service, counter, counter_service, day_sequence, ticket, event, rating,
  event_kind_grant TO lobby_kiosk, lobby_counter, lobby_display, lobby_manager;
-- staff: every column but the secret pin_hash.
GRANT SELECT (id, username, full_name, role, failed_pins, locked_until, active, created_at) ON staff
  TO lobby_kiosk, lobby_counter, lobby_display, lobby_manager;

-- 4a. PIN checks only through the functions of migration 0007 (PUBLIC may not execute them).
REVOKE ALL ON FUNCTION lobby_pin_spec(text), lobby_pin_specs(text[]),
  lobby_check_pin(text, text, text, integer, integer, timestamp),
  lobby_check_any_pin(text, text[], integer[], text[], integer, integer, timestamp) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lobby_pin_spec(text), lobby_pin_specs(text[]),
  lobby_check_pin(text, text, text, integer, integer, timestamp),
  lobby_check_any_pin(text, text[], integer[], text[], integer, integer, timestamp)
  TO lobby_kiosk, lobby_counter;

-- 4b. Which event kinds each role may insert (checked by the event_kind_guard trigger; the PIN
--     functions above write pin_failed, pin_ok and account_locked as the owner). Replaced whole.
DELETE FROM event_kind_grant;
INSERT INTO event_kind_grant (role_name, kind)
SELECT r, k FROM (VALUES
  ('lobby_kiosk', 'issued,printer_fault,printer_ok,dossier_checked,dossier_rescheduled,dossier_overdue'),
  ('lobby_counter', 'called,recalled,serving,finished,no_show,transferred,parked,resumed,cancelled,expired,'
                    || 'rated,day_closed,counter_opened,counter_paused,counter_closed,signed_in,signed_out,'
                    || 'printer_fault,printer_ok,dossier_received,dossier_ready,dossier_overdue,'
                    || 'dossier_returned,dossier_checked,dossier_rescheduled'),
  ('lobby_manager', 'web_password_set,staff_added,staff_role_changed,staff_pin_reset,staff_deactivated,'
                    || 'staff_reactivated'),
  ('lobby_web', 'issued,rated,cancelled,reprint_requested,dossier_checked,counter_closed,signed_out,'
                || 'account_locked,web_password_set,web_sign_in_failed,web_signed_in,web_signed_out,'
                || 'service_paused,service_resumed,staff_added,staff_role_changed,staff_pin_reset,'
                || 'staff_deactivated,staff_reactivated,alert_raised,alert_escalated,alert_acknowledged,'
                || 'alert_cleared')
) AS g (r, kinds), unnest(string_to_array(kinds, ',')) AS k;

-- 5. Kiosk: issue tickets (waiting only), count numbers per day, record the events of 4b;
--    PINs through 4a.
GRANT INSERT ON ticket, event TO lobby_kiosk;
GRANT INSERT, UPDATE (next_number, issued, waiting, waiting_priority) ON day_sequence TO lobby_kiosk;
GRANT USAGE ON SEQUENCE ticket_id_seq, event_id_seq TO lobby_kiosk;

-- 6. Counter (and its rating panel): move tickets through their states, but never
--    change what was issued (number, service of origin, issue time, priority).
GRANT UPDATE (status, service_id, counter_id, staff_id, queued_at, called_at, last_called_at,
              started_at, finished_at, call_count, note, wait_us, service_us) ON ticket TO lobby_counter;
GRANT UPDATE (state, staff_id, priority_streak, updated_at) ON counter TO lobby_counter;
GRANT INSERT, UPDATE (waiting, waiting_priority) ON day_sequence TO lobby_counter;
GRANT INSERT ON event, rating TO lobby_counter;
GRANT USAGE ON SEQUENCE event_id_seq TO lobby_counter;

-- 7. Display: SELECT only (granted in 4). LISTEN lobby_events needs no privilege.

-- 8. Manager: reports read everything (4); staff accounts are added, re-PINned,
--    unlocked and deactivated, never deleted (tickets and events point at them).
GRANT INSERT, UPDATE (full_name, role, pin_hash, failed_pins, locked_until, active) ON staff TO lobby_manager;
GRANT USAGE ON SEQUENCE staff_id_seq TO lobby_manager;

COMMIT;

-- 9. Web (lobby-web: the citizens' ticket pages and the HTTP API; issue 12). Its own login role,
--    lobby_web: it reads what the pages and the API show, issues tickets for API clients
--    (like a kiosk), and checks API tokens. API tokens are made and revoked with `lobby token`
--    as lobby_manager. No other role may read api_token (it holds the secrets' hashes).
--      lobby-web --db postgresql://lobby_web@SERVER/lobby
BEGIN;
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'lobby_web') THEN
    CREATE ROLE lobby_web LOGIN;
  END IF;
  ALTER ROLE lobby_web LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO lobby_web', current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO lobby_web;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM lobby_web;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM lobby_web;
GRANT SELECT ON alembic_version, service, counter, counter_service, day_sequence, ticket, event, rating,
  api_token, event_kind_grant TO lobby_web;
GRANT SELECT (id, username, full_name, role, failed_pins, locked_until, active, created_at)
  ON staff TO lobby_web;  -- never pin_hash (issue 17)
GRANT INSERT ON ticket, event TO lobby_web;
GRANT INSERT, UPDATE (next_number, issued, waiting, waiting_priority) ON day_sequence TO lobby_web;
GRANT USAGE ON SEQUENCE ticket_id_seq, event_id_seq TO lobby_web;
GRANT SELECT, INSERT, UPDATE (revoked_at) ON api_token TO lobby_manager;
GRANT USAGE ON SEQUENCE api_token_id_seq TO lobby_manager;
COMMIT;

-- 10. Dossiers (lobby/dossiers; issue 14): every app reads them; the kiosk's results check
--     records a late dossier as overdue and gives it a new promise (the apology slip's date);
--     the counter receives dossiers and marks them ready and returned. `lobby dossier …` and the
--     sync service (`lobby dossier sync --watch`) run as lobby_counter. Nobody deletes a dossier.
BEGIN;
GRANT SELECT ON dossier TO lobby_kiosk, lobby_counter, lobby_display, lobby_manager, lobby_web;
GRANT UPDATE (state, overdue_at, promised_at, reschedules) ON dossier TO lobby_kiosk;
GRANT INSERT, UPDATE (state, ready_at, ready_by, overdue_at, returned_at) ON dossier TO lobby_counter;
GRANT USAGE ON SEQUENCE dossier_id_seq TO lobby_counter;
COMMIT;

-- 11. The manager's pages (lobby-web at /quan-ly; issue 13), served by lobby-web as lobby_web:
--     staff sign in with a web password (web_session holds only a hash of each cookie), alerts
--     are raised, acknowledged and cleared, a service's issuing is paused for the day, a counter
--     left open is closed or its official signed out, and managers add, re-role, re-PIN and
--     deactivate accounts (never delete them). The kiosk and the API read the pauses (a paused
--     service issues nothing); `lobby staff passwd USER --web` runs as lobby_manager.
BEGIN;
GRANT SELECT ON service_pause TO lobby_kiosk, lobby_counter, lobby_display, lobby_manager, lobby_web;
GRANT SELECT ON alert TO lobby_manager, lobby_web;
GRANT INSERT, UPDATE (resumed_at, resumed_by_id) ON service_pause TO lobby_web;
GRANT INSERT, UPDATE (level, data, cleared_at, acked_at, acked_by_id) ON alert TO lobby_web;
GRANT SELECT, INSERT, UPDATE (seen_at, ended_at) ON web_session TO lobby_web;
GRANT INSERT, UPDATE (full_name, role, pin_hash, failed_pins, locked_until, active) ON staff TO lobby_web;
GRANT UPDATE (state, staff_id, updated_at) ON counter TO lobby_web;
GRANT USAGE ON SEQUENCE alert_id_seq, service_pause_id_seq, staff_id_seq TO lobby_web;
-- web passwords: a table of their own, read only by the web server (and set by `lobby staff passwd --web`)
GRANT SELECT, INSERT, UPDATE (hash, set_at) ON web_password TO lobby_web, lobby_manager;
GRANT INSERT ON event TO lobby_manager;  -- web_password_set is recorded like every change (kinds in 4b)
GRANT USAGE ON SEQUENCE event_id_seq TO lobby_manager;
COMMIT;

-- 12. Satisfaction (lobby/feedback; issue 15): the counter's rating panel stores the reasons of a
--     rating (rating_reason) and its channel (rating.channel); the ticket page (lobby_web) lets a
--     served citizen rate once from the phone and send a remark; the manager's inbox (lobby_web)
--     assigns, answers and closes remarks. Remarks hold citizens' words and contacts: only the web
--     server and the manager's reports read them. The hall's figures panel (display) reads only
--     ratings, reasons and tickets. Nobody deletes a rating, a reason or a remark.
BEGIN;
GRANT SELECT ON rating_reason TO lobby_kiosk, lobby_counter, lobby_display, lobby_manager, lobby_web;
GRANT SELECT ON remark TO lobby_manager, lobby_web;
GRANT INSERT ON rating_reason TO lobby_counter, lobby_web;
GRANT INSERT ON rating TO lobby_web;
GRANT INSERT, UPDATE (state, assigned_to_id, assigned_at, answer, answered_at, answered_by_id, closed_at,
                      closed_by_id) ON remark TO lobby_web;
GRANT USAGE ON SEQUENCE remark_id_seq TO lobby_web;
INSERT INTO event_kind_grant (role_name, kind)
SELECT r, k FROM (VALUES
  ('lobby_counter', 'rating_reasons'),
  ('lobby_web', 'rating_reasons,remark_received,remark_assigned,remark_answered,remark_closed')
) AS g (r, kinds), unnest(string_to_array(kinds, ',')) AS k
ON CONFLICT DO NOTHING;
COMMIT;

-- 13. Nothing lost on paper (issue 16): the kiosk records when its printer finished a ticket
--     (ticket.printed_at), so that a kiosk started again offers the guard the tickets it issued but never
--     printed. Only the kiosk writes it, and only that column; everyone reads it with the ticket (4).
BEGIN;
GRANT UPDATE (printed_at) ON ticket TO lobby_kiosk;
COMMIT;

-- 14. A year's report in seconds (issue 18): settled days' figures are kept in day summaries
--     (lobby/reports/summary.py). Derived data only: a report that had to work a settled day out
--     from its tickets replaces that day's rows (DELETE, then INSERT; never UPDATE), and so does
--     `lobby close-day` (lobby_counter). Whoever runs reports reads them: the manager's `lobby report`
--     (lobby_manager), the manager's pages and the API (lobby_web), the hall's published figures
--     (lobby_display, read-only: it reads, stores nothing, and its figures stay exact). The kiosk
--     runs no report.
BEGIN;
GRANT SELECT ON day_summary, day_summary_group, day_summary_values
  TO lobby_counter, lobby_display, lobby_manager, lobby_web;
GRANT INSERT, DELETE ON day_summary, day_summary_group, day_summary_values
  TO lobby_counter, lobby_manager, lobby_web;
COMMIT;
