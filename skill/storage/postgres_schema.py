"""The PostgreSQL schema: versioned migrations, run under an advisory lock, and the statements.

Several hosts may start at once against an empty database: each takes the same transaction-level
advisory lock before looking at the version, so exactly one creates the tables (and the salt) and
the others then find them done. Migrations only ever append to MIGRATIONS.
"""

from __future__ import annotations

import logging
import secrets

import psycopg
from psycopg import errors

from skill.storage.base import MIN_SALT_BYTES, SALT_BYTES, PersistenceError

logger = logging.getLogger("skill.storage")

# Any fixed 64-bit number; only cramp-relief's migrations take it.
_LOCK_KEY = 0x4352_414D_5052_4C46  # "CRAMPRLF"

MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """CREATE TABLE cramp_relief_users (
                user_hash text PRIMARY KEY,
                attributes jsonb NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            )""",
            """CREATE TABLE cramp_relief_seen_requests (
                request_id text PRIMARY KEY,
                expires_at double precision NOT NULL
            )""",
            "CREATE INDEX cramp_relief_seen_requests_expiry"
            " ON cramp_relief_seen_requests (expires_at)",
            # One row, made in the same transaction as the tables: every host reads this salt.
            f"""CREATE TABLE cramp_relief_salt (
                id smallint PRIMARY KEY CHECK (id = 1),
                salt bytea NOT NULL CHECK (length(salt) >= {MIN_SALT_BYTES})
            )""",
        ),
    ),
)
CURRENT = MIGRATIONS[-1][0]

SELECT = "SELECT attributes::text FROM cramp_relief_users WHERE user_hash = %s"
UPSERT = """
INSERT INTO cramp_relief_users (user_hash, attributes) VALUES (%s, %s::jsonb)
ON CONFLICT (user_hash) DO UPDATE SET attributes = excluded.attributes, updated_at = now()
"""
# The keys this request changed, applied to the row as it is now (a row that is somehow not an
# object is replaced). Parameters: hash, the full object (if there is no row yet), keys removed,
# keys set.
MERGE = """
INSERT INTO cramp_relief_users AS u (user_hash, attributes) VALUES (%s, %s::jsonb)
ON CONFLICT (user_hash) DO UPDATE SET
    attributes = (
        CASE WHEN jsonb_typeof(u.attributes) = 'object' THEN u.attributes ELSE '{}'::jsonb END
        - %s::text[]
    ) || %s,
    updated_at = now()
"""
DELETE = "DELETE FROM cramp_relief_users WHERE user_hash = %s"
# A row comes back only if this call inserted the id, or took over one that had expired.
CLAIM = """
INSERT INTO cramp_relief_seen_requests AS s (request_id, expires_at) VALUES (%s, %s)
ON CONFLICT (request_id) DO UPDATE SET expires_at = excluded.expires_at
WHERE s.expires_at <= %s
RETURNING 1
"""
PRUNE = "DELETE FROM cramp_relief_seen_requests WHERE expires_at <= %s"

Conn = psycopg.Connection[tuple[object, ...]]


def version(conn: Conn) -> int:
    """The schema version in the database; 0 before the first migration."""
    try:
        row = conn.execute("SELECT version FROM cramp_relief_schema WHERE id = 1").fetchone()
    except errors.UndefinedTable:
        return 0
    return int(str(row[0])) if row is not None else 0


def ensure(conn: Conn) -> None:
    """Migrate if the database is behind; a newer schema (a newer release beside us) is used."""
    found = version(conn)
    if found < CURRENT:
        migrate(conn)
    elif found > CURRENT:
        logger.warning("database schema is version %d, newer than this release's", found)


def migrate(conn: Conn) -> str:
    """Bring the schema to CURRENT under the advisory lock; say what was done."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS cramp_relief_schema ("
            " id smallint PRIMARY KEY CHECK (id = 1), version integer NOT NULL)"
        )
        conn.execute("INSERT INTO cramp_relief_schema VALUES (1, 0) ON CONFLICT DO NOTHING")
        found = version(conn)
        for number, statements in MIGRATIONS:
            if number > found:
                for statement in statements:
                    conn.execute(statement.encode())
        if found < CURRENT:
            conn.execute("UPDATE cramp_relief_schema SET version = %s WHERE id = 1", (CURRENT,))
        conn.execute(
            "INSERT INTO cramp_relief_salt (id, salt) VALUES (1, %s) ON CONFLICT DO NOTHING",
            (secrets.token_bytes(SALT_BYTES),),
        )
    if found >= CURRENT:
        return f"schema already at version {found}"
    logger.info("database schema migrated from version %d to %d", found, CURRENT)
    return f"schema migrated from version {found} to {CURRENT}"


def read_salt(conn: Conn) -> bytes:
    row = conn.execute("SELECT salt FROM cramp_relief_salt WHERE id = 1").fetchone()
    if row is None or not isinstance(row[0], bytes) or len(row[0]) < MIN_SALT_BYTES:
        # Never make a new one here: it would silently orphan every stored row.
        raise PersistenceError("the database holds no usable salt (run `cramp-relief db migrate`)")
    return row[0]
