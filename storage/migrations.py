"""Named schema migrations, applied in order, each in its own transaction.

Never edit a migration that has shipped (databases record each by name); add a new one
and list it once, at the end of :data:`MIGRATIONS`. Times are ISO 8601 UTC text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Dialects:
    """One statement that :mod:`storage.dialect` cannot translate, written for each backend.

    Plain strings (SQLite's dialect, translated for PostgreSQL) are the rule; this is the
    exception.
    """

    sqlite: str
    postgres: str


@dataclass(frozen=True)
class Migration:
    """A named list of SQL statements (SQLite's dialect, or :class:`Dialects`)."""

    name: str
    statements: tuple[str | Dialects, ...]

    def for_sqlite(self) -> tuple[str, ...]:
        """The statements as SQLite runs them."""
        return tuple(s.sqlite if isinstance(s, Dialects) else s for s in self.statements)


class DuplicateMigration(ValueError):
    """Two migrations share a name: the second would never run on a database that has
    recorded the first."""


def in_order(migrations: Iterable[Migration]) -> tuple[Migration, ...]:
    """The migrations as a tuple, refusing a name listed twice."""
    ordered = tuple(migrations)
    seen: set[str] = set()
    for migration in ordered:
        if migration.name in seen:
            raise DuplicateMigration(f"migration {migration.name!r} is listed twice")
        seen.add(migration.name)
    return ordered


INITIAL = Migration(
    "0001_initial",
    (
        """
        CREATE TABLE reporters (
            user_id         INTEGER PRIMARY KEY,         -- Telegram user id
            first_name      TEXT NOT NULL,
            last_name       TEXT,
            username        TEXT,
            client_language TEXT,                        -- as Telegram reports it
            language        TEXT CHECK (language IN ('id', 'en')),  -- chosen with /language
            phone           TEXT,                        -- only when shared by the reporter
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE drafts (
            chat_id     INTEGER PRIMARY KEY,
            user_id     INTEGER NOT NULL REFERENCES reporters(user_id),
            uid         TEXT NOT NULL UNIQUE,
            step        TEXT NOT NULL,
            data        TEXT NOT NULL,                   -- the Draft as JSON
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            expires_at  TEXT NOT NULL
        )
        """,
        "CREATE INDEX drafts_expiry ON drafts(expires_at)",
        """
        CREATE TABLE ticket_counters (
            day       TEXT PRIMARY KEY,                  -- local date, YYYY-MM-DD
            last_seq  INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE reports (
            id              INTEGER PRIMARY KEY,
            ticket          TEXT NOT NULL UNIQUE,
            draft_uid       TEXT UNIQUE,                 -- a double-tapped Send files once
            reporter_id     INTEGER NOT NULL REFERENCES reporters(user_id),
            chat_id         INTEGER NOT NULL,            -- the reporter's private chat
            language        TEXT NOT NULL,
            category        TEXT NOT NULL,
            state           TEXT NOT NULL,
            location_source TEXT,
            lat             REAL,
            lon             REAL,
            accuracy_m      REAL,
            location_text   TEXT,
            details         TEXT,
            phone           TEXT,
            submitted_at    TEXT NOT NULL,               -- the reporter pressed Send
            received_at     TEXT,                        -- t0: the card reached the dispatchers
            updated_at      TEXT NOT NULL
        )
        """,
        "CREATE INDEX reports_reporter ON reports(reporter_id, submitted_at)",
        "CREATE INDEX reports_state ON reports(state, submitted_at)",
        """
        CREATE TABLE report_events (
            id          INTEGER PRIMARY KEY,
            report_id   INTEGER NOT NULL REFERENCES reports(id),
            -- What happened, when and by whom never changes; only retention may blank a
            -- reporter's name, note and data (storage/retention.py).
            kind        TEXT NOT NULL,                   -- bot.lifecycle.EventKind
            from_state  TEXT,
            to_state    TEXT NOT NULL,
            at          TEXT NOT NULL,
            actor_kind  TEXT NOT NULL,                   -- reporter / dispatcher / officer / system
            actor_id    INTEGER,
            actor_name  TEXT,
            note        TEXT,
            data        TEXT                             -- JSON
        )
        """,
        "CREATE INDEX report_events_report ON report_events(report_id, id)",
        """
        CREATE TRIGGER report_events_no_update
        BEFORE UPDATE OF report_id, kind, from_state, to_state, at, actor_kind, actor_id
        ON report_events
        BEGIN SELECT RAISE(ABORT, 'report_events is append-only'); END
        """,
        """
        CREATE TABLE attachments (
            id              INTEGER PRIMARY KEY,
            report_id       INTEGER NOT NULL REFERENCES reports(id),
            kind            TEXT NOT NULL,
            file_id         TEXT NOT NULL,
            file_unique_id  TEXT NOT NULL,
            created_at      TEXT NOT NULL,
            UNIQUE (report_id, file_unique_id)
        )
        """,
        """
        CREATE TABLE message_map (
            chat_id     INTEGER NOT NULL,
            message_id  INTEGER NOT NULL,
            report_id   INTEGER NOT NULL REFERENCES reports(id),
            role        TEXT NOT NULL,                   -- card, card_extra, receipt, relay ...
            created_at  TEXT NOT NULL,
            UNIQUE (chat_id, message_id)
        )
        """,
        "CREATE INDEX message_map_report ON message_map(report_id, role)",
        """
        CREATE TABLE outbox (
            id                  INTEGER PRIMARY KEY,
            report_id           INTEGER REFERENCES reports(id),
            chat_id             INTEGER NOT NULL,
            method              TEXT NOT NULL,           -- Bot API method, e.g. sendMessage
            payload             TEXT NOT NULL,           -- JSON parameters, without chat_id
            role                TEXT NOT NULL,           -- what the message is (card, receipt ...)
            priority            INTEGER NOT NULL DEFAULT 0,  -- higher goes first
            reply_to_outbox_id  INTEGER REFERENCES outbox(id),  -- reply to what that row sent
            edit_outbox_id      INTEGER REFERENCES outbox(id),  -- edit what that row sent
            status              TEXT NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'sending', 'sent', 'failed',
                                                  'superseded')),
            attempts            INTEGER NOT NULL DEFAULT 0,
            not_before          TEXT NOT NULL,
            uncertain           INTEGER NOT NULL DEFAULT 0,  -- an earlier try may have arrived
            message_id          INTEGER,
            sent_at             TEXT,
            last_error          TEXT,
            created_at          TEXT NOT NULL
        )
        """,
        "CREATE INDEX outbox_due ON outbox(status, priority DESC, id) "
        "WHERE status IN ('pending', 'sending')",
    ),
)

DISPATCH_WORKFLOW = Migration(
    "0002_dispatch_workflow",
    (
        # Snapshot of the lifecycle, derived from report_events (bot.lifecycle.replay) and
        # kept in columns for the queue, statistics and the 10-minute clock.
        "ALTER TABLE reports ADD COLUMN claimed_at TEXT",
        "ALTER TABLE reports ADD COLUMN dispatched_at TEXT",
        "ALTER TABLE reports ADD COLUMN en_route_at TEXT",
        "ALTER TABLE reports ADD COLUMN on_scene_at TEXT",
        "ALTER TABLE reports ADD COLUMN closed_at TEXT",
        "ALTER TABLE reports ADD COLUMN claimed_by INTEGER",
        "ALTER TABLE reports ADD COLUMN claimed_by_name TEXT",
        "ALTER TABLE reports ADD COLUMN agency TEXT",
        "ALTER TABLE reports ADD COLUMN disposition TEXT",
        "ALTER TABLE reports ADD COLUMN duplicate_of TEXT",
        "ALTER TABLE reports ADD COLUMN transfer_to TEXT",
        "ALTER TABLE reports ADD COLUMN possible_duplicate_of TEXT",
        "ALTER TABLE reports ADD COLUMN card_outbox_id INTEGER REFERENCES outbox(id)",
        "CREATE INDEX reports_open ON reports(state, received_at)",
        "ALTER TABLE reporters ADD COLUMN strikes INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE reporters ADD COLUMN blocked_at TEXT",
    ),
)

LOCATION_AREA = Migration(
    "0003_location_area",
    (
        # Where a pin falls (bot.geo): kecamatan / kelurahan, whether it is outside the city.
        "ALTER TABLE reports ADD COLUMN kecamatan TEXT",
        "ALTER TABLE reports ADD COLUMN kelurahan TEXT",
        "ALTER TABLE reports ADD COLUMN outside_city INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE reports ADD COLUMN address TEXT",
        "CREATE INDEX reports_submitted ON reports(submitted_at)",
    ),
)

RATINGS_AND_STATS = Migration(
    "0004_ratings_and_stats_indexes",
    (
        # The reporter's rating of a closed report (handlers/insight.py): one per report.
        # ``comment_until`` is set while a comment is awaited (the next text message).
        """
        CREATE TABLE ratings (
            report_id       INTEGER PRIMARY KEY REFERENCES reports(id),
            reporter_id     INTEGER NOT NULL REFERENCES reporters(user_id),
            stars           INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
            comment         TEXT,
            rated_at        TEXT NOT NULL,
            comment_until   TEXT
        )
        """,
        "CREATE INDEX ratings_awaiting ON ratings(reporter_id, comment_until)"
        " WHERE comment_until IS NOT NULL",
        # Posted daily/monthly summaries (bot/summaries.py): a restart never posts twice.
        """
        CREATE TABLE summaries (
            id          INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL CHECK (kind IN ('daily', 'monthly')),
            period      TEXT NOT NULL,                   -- YYYY-MM-DD or YYYY-MM (local)
            outbox_id   INTEGER REFERENCES outbox(id),
            posted_at   TEXT NOT NULL,
            UNIQUE (kind, period)
        )
        """,
        # Covering index for statistics over a time range (storage/stats.py): a month's
        # query reads only this index, never the wide report rows.
        "CREATE INDEX reports_stats ON reports(submitted_at, category, kecamatan, outside_city,"
        " agency, disposition, state, received_at, claimed_at, on_scene_at)",
    ),
)


LOCATION_DETAIL = Migration(
    "0005_location_detail",
    (
        # The full location as the card shows it (bot.models.ReportLocation as JSON):
        # source, accuracy, area, address, live updates. lat/lon/kecamatan columns stay
        # for queries.
        "ALTER TABLE reports ADD COLUMN location_json TEXT",
        "ALTER TABLE reports ADD COLUMN live_message_id INTEGER",
        "CREATE INDEX reports_live ON reports(chat_id, live_message_id)"
        " WHERE live_message_id IS NOT NULL",
    ),
)


SOS_AND_WITNESSES = Migration(
    "0006_sos_and_witnesses",
    (
        "ALTER TABLE reports ADD COLUMN sos INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE reports ADD COLUMN for_someone_else INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE reports ADD COLUMN anonymous_to_agencies INTEGER NOT NULL DEFAULT 0",
        # The SOS follow-up question the reporter is being asked (category, details,
        # photo, phone); NULL when none is pending.
        "ALTER TABLE reports ADD COLUMN followup_step TEXT",
    ),
)


SURGE_DIGESTS = Migration(
    "0007_surge_digests",
    (
        # Reports packed into one digest message when a group's flood budget would make
        # cards wait (storage/outbox.py pack_digest); t0 is when the digest lands.
        """
        CREATE TABLE digest_members (
            outbox_id   INTEGER NOT NULL REFERENCES outbox(id),
            report_id   INTEGER NOT NULL REFERENCES reports(id),
            UNIQUE (outbox_id, report_id)
        )
        """,
        "CREATE INDEX digest_members_report ON digest_members(report_id)",
    ),
)


RETENTION = Migration(
    "0008_retention",
    (
        "ALTER TABLE reports ADD COLUMN purged_at TEXT",
        "CREATE INDEX reports_closed ON reports(closed_at) WHERE purged_at IS NULL",
    ),
)

OUTSIDE_REGION = Migration(
    "0009_outside_region",
    (
        # Outside the city: the kabupaten/kota of Java and its province (bot.domain.regions),
        # or beyond_java. Read from the stored location, so every write of location_json
        # keeps them true; for statistics ("luar kota" by kabupaten) and exports.
        "ALTER TABLE reports ADD COLUMN region TEXT"
        " GENERATED ALWAYS AS (json_extract(location_json, '$.region')) VIRTUAL",
        "ALTER TABLE reports ADD COLUMN province TEXT"
        " GENERATED ALWAYS AS (json_extract(location_json, '$.province')) VIRTUAL",
        Dialects(
            "ALTER TABLE reports ADD COLUMN beyond_java INTEGER"
            " GENERATED ALWAYS AS (coalesce(json_extract(location_json, '$.beyond_java'), 0))"
            " VIRTUAL",
            # JSON true is 1 in SQLite; PostgreSQL generates only STORED columns
            "ALTER TABLE reports ADD COLUMN beyond_java BIGINT GENERATED ALWAYS AS"
            " (coalesce(((location_json)::jsonb ->> 'beyond_java')::boolean::int, 0)) STORED",
        ),
    ),
)


CHAT_MOVES = Migration(
    "0010_chat_moves",
    (
        """
        CREATE TABLE chat_moves (
            old_chat_id INTEGER PRIMARY KEY,   -- the group's id before the upgrade
            new_chat_id INTEGER NOT NULL,      -- the supergroup's id (-100…)
            moved_at    TEXT NOT NULL
        )
        """,
    ),
)


TRUSTED_REPORTERS = Migration(
    "0011_trusted_reporters",
    (
        # Invitations to a trusted role (bot/domain/trust.py). Only the token's digest is
        # kept: the token itself exists in the deep link alone.
        """
        CREATE TABLE trust_invitations (
            id              INTEGER PRIMARY KEY,
            token_digest    TEXT NOT NULL UNIQUE,
            role            TEXT NOT NULL CHECK (role IN ('relawan', 'rt_rw', 'petugas')),
            community       TEXT NOT NULL,           -- community, kelurahan or agency
            max_uses        INTEGER NOT NULL CHECK (max_uses >= 1),
            uses            INTEGER NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
            created_by      INTEGER NOT NULL,        -- the dispatcher's user id
            created_by_name TEXT,
            created_at      TEXT NOT NULL,
            expires_at      TEXT NOT NULL
        )
        """,
        # A person's trusted role: one per person; personal data (storage/retention.py).
        """
        CREATE TABLE trusted_reporters (
            user_id         INTEGER PRIMARY KEY REFERENCES reporters(user_id),
            role            TEXT NOT NULL CHECK (role IN ('relawan', 'rt_rw', 'petugas')),
            community       TEXT NOT NULL,
            status          TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
            invitation_id   INTEGER REFERENCES trust_invitations(id),
            granted_at      TEXT NOT NULL,
            changed_at      TEXT NOT NULL            -- when the status last changed
        )
        """,
        # The audit log: who invited, who joined (or was refused), who suspended, revoked
        # or reinstated whom, and when. Append-only; retention may blank a subject's name.
        """
        CREATE TABLE trust_events (
            id              INTEGER PRIMARY KEY,
            at              TEXT NOT NULL,
            kind            TEXT NOT NULL,           -- invited, joined, refused, suspended ...
            actor_id        INTEGER,
            actor_name      TEXT,
            subject_id      INTEGER,
            subject_name    TEXT,
            invitation_id   INTEGER REFERENCES trust_invitations(id),
            role            TEXT,
            community       TEXT,
            note            TEXT
        )
        """,
        "CREATE INDEX trust_events_subject ON trust_events(subject_id, at)",
        """
        CREATE TRIGGER trust_events_no_update
        BEFORE UPDATE OF at, kind, actor_id, actor_name, subject_id, invitation_id, role,
                         community, note
        ON trust_events
        BEGIN SELECT RAISE(ABORT, 'trust_events is append-only'); END
        """,
        "CREATE TRIGGER trust_events_no_delete BEFORE DELETE ON trust_events"
        " BEGIN SELECT RAISE(ABORT, 'trust_events is append-only'); END",
        # The badge a report was filed with: kept when the role is revoked (statistics).
        "ALTER TABLE reports ADD COLUMN trust_role TEXT",
        "ALTER TABLE reports ADD COLUMN trust_community TEXT",
        # Covering index of the trusted-reporter statistics (storage/trust.py).
        "CREATE INDEX reports_trust_stats ON reports(submitted_at, trust_role, disposition)",
    ),
)

HELD_OUTBOX = Migration(
    "0012_held_outbox",
    (
        # 1: waiting for a group that refuses the bot (removed or kicked), not dropped.
        "ALTER TABLE outbox ADD COLUMN held INTEGER NOT NULL DEFAULT 0",
    ),
)

ALERT_DUE_INDEX = Migration(
    "0013_alert_due_index",
    (
        # When the report's next timer alert falls due; NULL until the scheduler works it out
        # (every change of the report's state sets it back to NULL).
        "ALTER TABLE reports ADD COLUMN next_alert_at TEXT",
        "CREATE INDEX reports_next_alert ON reports(next_alert_at)",
    ),
)

DELIVERY_HONESTY = Migration(
    "0014_delivery_honesty",
    (
        # A reporter told that their report has not reached the dispatchers (phone 112):
        # once per report, whichever way the bot found out.
        """
        CREATE TABLE not_received_warnings (
            report_id   INTEGER PRIMARY KEY REFERENCES reports(id),
            warned_at   TEXT NOT NULL
        )
        """,
        # A group that refuses the bot: since when, and when the operators were last told.
        """
        CREATE TABLE chat_incidents (
            chat_id         INTEGER PRIMARY KEY,
            since           TEXT NOT NULL,
            reason          TEXT NOT NULL,
            last_alert_at   TEXT NOT NULL
        )
        """,
        # Topics of the dispatch chat Telegram refused (deleted or closed): General instead.
        """
        CREATE TABLE lost_topics (
            chat_id     INTEGER NOT NULL,
            thread_id   INTEGER NOT NULL,
            lost_at     TEXT NOT NULL,
            reason      TEXT NOT NULL,
            PRIMARY KEY (chat_id, thread_id)
        )
        """,
    ),
)


PENDING_LOCATIONS = Migration(
    "0015_pending_locations",
    (
        # A location sent by a reporter with an open report, kept until they answer whether
        # it updates that report or is a new emergency (one row per location message).
        """
        CREATE TABLE pending_locations (
            id              INTEGER PRIMARY KEY,
            chat_id         INTEGER NOT NULL,
            message_id      INTEGER NOT NULL,
            reporter_id     INTEGER NOT NULL,
            report_id       INTEGER NOT NULL REFERENCES reports(id),
            location_json   TEXT NOT NULL,
            created_at      TEXT NOT NULL,
            UNIQUE (chat_id, message_id)
        )
        """,
        "CREATE INDEX pending_locations_created ON pending_locations(created_at)",
    ),
)


MIGRATIONS: tuple[Migration, ...] = in_order(
    (
        INITIAL,
        DISPATCH_WORKFLOW,
        LOCATION_AREA,
        RATINGS_AND_STATS,
        LOCATION_DETAIL,
        SOS_AND_WITNESSES,
        SURGE_DIGESTS,
        RETENTION,
        OUTSIDE_REGION,
        CHAT_MOVES,
        TRUSTED_REPORTERS,
        HELD_OUTBOX,
        ALERT_DUE_INDEX,
        DELIVERY_HONESTY,
        PENDING_LOCATIONS,
    )
)
"""Every migration, oldest first: the schema is their sum."""
