#!/bin/sh
# Lobby Queue — back up the store to a dated file, check it, and delete old copies.
# Sao lưu cơ sở dữ liệu Lobby Queue ra một tệp có ngày giờ, kiểm tra bản sao, xóa bản cũ.
#
#   lobby-backup.sh [DIR]
#
# Environment (systemd reads it from /etc/lobby/lobby.env):
#   LOBBY_DB                the store: sqlite:////opt/lobby/var/lobby.sqlite3 or postgresql://...
#   LOBBY_BACKUP_DB         PostgreSQL only: the owner's URL (pg_dump reads every table and sequence);
#                           default LOBBY_DB
#   LOBBY_BACKUP_DIR        where the copies go (default /opt/lobby/var/backup; DIR overrides)
#   LOBBY_BACKUP_KEEP_DAYS  copies older than this many days are deleted (default 30; 0 keeps all)
#
# SQLite: `sqlite3 FILE ".backup COPY"` takes a consistent copy while the apps keep
# working (it reads through SQLite's own locking, WAL included); never copy the .sqlite3
# file with cp while the apps run. PostgreSQL: `pg_dump -Fc` (restore with pg_restore).
set -eu

dest=${1:-${LOBBY_BACKUP_DIR:-/opt/lobby/var/backup}}
keep=${LOBBY_BACKUP_KEEP_DAYS:-30}
db=${LOBBY_BACKUP_DB:-${LOBBY_DB:-}}
if [ -z "$db" ]; then
    echo "lobby-backup: LOBBY_DB is not set (e.g. sqlite:////opt/lobby/var/lobby.sqlite3)" >&2
    exit 2
fi
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$dest"

case "$db" in
    sqlite:///*)
        file=${db#sqlite:///}
        file=${file%%\?*}
        if [ ! -f "$file" ]; then
            echo "lobby-backup: no database file at $file (check LOBBY_DB)" >&2
            exit 2
        fi
        command -v sqlite3 >/dev/null || { echo "lobby-backup: install sqlite3 (apt install sqlite3)" >&2; exit 2; }
        out="$dest/lobby-$stamp.sqlite3"
        sqlite3 "$file" ".timeout 30000" ".backup '$out.part'"
        check=$(sqlite3 "$out.part" "PRAGMA integrity_check;")
        if [ "$check" != "ok" ]; then
            echo "lobby-backup: the copy failed its integrity check: $check" >&2
            rm -f "$out.part"
            exit 1
        fi
        ;;
    postgresql*://*|postgres://*)
        command -v pg_dump >/dev/null || { echo "lobby-backup: install pg_dump (apt install postgresql-client)" >&2; exit 2; }
        url=$(printf '%s' "$db" | sed -e 's|^postgresql+[a-z0-9]*://|postgresql://|' -e 's|^postgres://|postgresql://|')
        out="$dest/lobby-$stamp.dump"
        pg_dump --format=custom --file="$out.part" --dbname="$url"
        pg_restore --list "$out.part" >/dev/null
        ;;
    *)
        echo "lobby-backup: cannot back up this LOBBY_DB (only sqlite:/// and postgresql:// URLs)" >&2
        exit 2
        ;;
esac

mv "$out.part" "$out"
echo "lobby-backup: wrote $out ($(wc -c <"$out") bytes)"
if [ "$keep" -gt 0 ]; then
    find "$dest" -maxdepth 1 -type f -name 'lobby-*' -mtime +"$keep" -print -delete
fi
