"""The trusted-reporter tables: ``trust_invitations``, ``trusted_reporters``,
``trust_events`` (the audit log), and the badge columns of ``reports``."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Badge, TrustRole, from_iso, utc_iso
from bot.domain.trust import (
    Invitation,
    InvitationRequest,
    Standing,
    TrustedPerson,
    TrustEvent,
    TrustEventKind,
    TrustStatus,
)
from bot.domain.trust_stats import TrustFact
from storage.db import Database, Row, Tx
from storage.reporters import reporter_from

# --- invitations -------------------------------------------------------------------------


async def insert_invitation(
    tx: Tx,
    digest: str,
    request: InvitationRequest,
    created_by: int,
    created_by_name: str | None,
    now: datetime,
) -> Invitation:
    """Store a new invitation by its token's digest."""
    expires_at = now + request.validity
    invitation_id = await tx.insert(
        "INSERT INTO trust_invitations (token_digest, role, community, max_uses, created_by,"
        " created_by_name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            digest,
            request.role.value,
            request.community,
            request.uses,
            created_by,
            created_by_name,
            utc_iso(now),
            utc_iso(expires_at),
        ),
    )
    return Invitation(
        invitation_id, request.role, request.community, request.uses, 0, now, expires_at
    )


def _invitation(row: Row) -> Invitation:
    return Invitation(
        id=row["id"],
        role=TrustRole(row["role"]),
        community=row["community"],
        max_uses=row["max_uses"],
        uses=row["uses"],
        created_at=from_iso(row["created_at"]),
        expires_at=from_iso(row["expires_at"]),
    )


async def invitation_by_digest(tx: Tx, digest: str) -> Invitation | None:
    """The invitation whose token has this digest, or None."""
    row = await tx.one("SELECT * FROM trust_invitations WHERE token_digest = ?", (digest,))
    return _invitation(row) if row else None


async def use_invitation(tx: Tx, invitation_id: int) -> None:
    """Spend one use of an invitation (the table refuses more than ``max_uses``)."""
    await tx.execute("UPDATE trust_invitations SET uses = uses + 1 WHERE id = ?", (invitation_id,))


# --- standing ----------------------------------------------------------------------------


def _standing(row: Row) -> Standing:
    return Standing(
        role=TrustRole(row["role"]),
        community=row["community"],
        status=TrustStatus(row["status"]),
        since=from_iso(row["changed_at"]),
    )


async def standing_in(tx: Tx, user_id: int) -> Standing | None:
    """A person's trusted role (any status), or None if they never had one."""
    row = await tx.one("SELECT * FROM trusted_reporters WHERE user_id = ?", (user_id,))
    return _standing(row) if row else None


async def grant(tx: Tx, user_id: int, standing: Standing, invitation_id: int) -> None:
    """Bind a person to a role through an invitation (replacing any earlier role)."""
    at = utc_iso(standing.since)
    await tx.execute(
        "INSERT INTO trusted_reporters (user_id, role, community, status, invitation_id,"
        " granted_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET role = excluded.role,"
        " community = excluded.community, status = excluded.status,"
        " invitation_id = excluded.invitation_id, granted_at = excluded.granted_at,"
        " changed_at = excluded.changed_at",
        (
            user_id,
            standing.role.value,
            standing.community,
            standing.status.value,
            invitation_id,
            at,
            at,
        ),
    )


async def set_status(tx: Tx, user_id: int, status: TrustStatus, at: datetime) -> None:
    """Change a person's status (suspended, reinstated, revoked)."""
    await tx.execute(
        "UPDATE trusted_reporters SET status = ?, changed_at = ? WHERE user_id = ?",
        (status.value, utc_iso(at), user_id),
    )


async def set_badge(tx: Tx, report_id: int, badge: Badge) -> None:
    """Record the badge a report is filed with."""
    await tx.execute(
        "UPDATE reports SET trust_role = ?, trust_community = ? WHERE id = ?",
        (badge.role.value, badge.community, report_id),
    )


# --- the audit log -----------------------------------------------------------------------


async def append_event(tx: Tx, event: TrustEvent) -> int:
    """Append one line to the audit log (the table refuses updates and deletes)."""
    return await tx.insert(
        "INSERT INTO trust_events (at, kind, actor_id, actor_name, subject_id, subject_name,"
        " invitation_id, role, community, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            utc_iso(event.at),
            event.kind.value,
            event.actor_id,
            event.actor_name,
            event.subject_id,
            event.subject_name,
            event.invitation_id,
            event.role.value if event.role else None,
            event.community,
            event.note,
        ),
    )


async def trust_events(db: Database) -> list[TrustEvent]:
    """The whole audit log, oldest first."""
    async with db.read() as tx:
        rows = await tx.all("SELECT * FROM trust_events ORDER BY id")
    return [
        TrustEvent(
            kind=TrustEventKind(r["kind"]),
            at=from_iso(r["at"]),
            actor_id=r["actor_id"],
            actor_name=r["actor_name"],
            subject_id=r["subject_id"],
            subject_name=r["subject_name"],
            invitation_id=r["invitation_id"],
            role=TrustRole(r["role"]) if r["role"] else None,
            community=r["community"],
            note=r["note"],
        )
        for r in rows
    ]


# --- reads for dispatchers ---------------------------------------------------------------


async def trusted_people(db: Database) -> list[TrustedPerson]:
    """Everyone with an active or suspended role, with their badged reports and the last
    time they were active (unordered)."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT t.role, t.community, t.status, t.changed_at, p.*,"
            " (SELECT COUNT(*) FROM reports r WHERE r.reporter_id = t.user_id"
            "  AND r.trust_role IS NOT NULL) AS badged,"
            " (SELECT max(r.submitted_at) FROM reports r WHERE r.reporter_id = t.user_id)"
            "  AS last_report"
            " FROM trusted_reporters t JOIN reporters p ON p.user_id = t.user_id"
            " WHERE t.status != ?",
            (TrustStatus.REVOKED.value,),
        )
    people = []
    for r in rows:
        seen = [from_iso(x) for x in (r["updated_at"], r["last_report"]) if x]
        people.append(
            TrustedPerson(
                reporter=reporter_from(r),
                standing=_standing(r),
                reports=int(r["badged"]),
                last_active=max(seen) if seen else None,
            )
        )
    return people


async def trust_facts(db: Database, start: datetime, end: datetime) -> list[TrustFact]:
    """What the trusted-reporter statistics need of every report submitted in
    ``[start, end)`` (reads only the covering index ``reports_trust_stats``)."""
    async with db.read() as tx:
        rows = await tx.all(
            "SELECT submitted_at, trust_role, disposition FROM reports"
            " INDEXED BY reports_trust_stats WHERE submitted_at >= ? AND submitted_at < ?",
            (utc_iso(start), utc_iso(end)),
        )
    return [TrustFact(from_iso(r[0]), r[1], r[2]) for r in rows]
