"""The ``ratings`` table: a reporter's stars and comment for a closed report."""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Language, utc_iso
from storage.db import Database, Tx


async def rating_target(
    tx: Tx, report_id: int, reporter_id: int
) -> tuple[str, str, str | None] | None:
    """The ticket, state and disposition of a reporter's own report (None if not theirs)."""
    row = await tx.one(
        "SELECT ticket, state, disposition FROM reports WHERE id = ? AND reporter_id = ?",
        (report_id, reporter_id),
    )
    if row is None:
        return None
    return str(row["ticket"]), str(row["state"]), row["disposition"]


async def save_rating(
    tx: Tx, report_id: int, reporter_id: int, stars: int, now: datetime, comment_until: datetime
) -> None:
    """Store (or change) the stars of a report; a comment is awaited until ``comment_until``."""
    await tx.execute(
        "INSERT INTO ratings (report_id, reporter_id, stars, rated_at, comment_until)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (report_id) DO UPDATE SET"
        " stars = excluded.stars, rated_at = excluded.rated_at,"
        " comment_until = excluded.comment_until",
        (report_id, reporter_id, stars, utc_iso(now), utc_iso(comment_until)),
    )


async def awaiting_comment(
    tx: Tx, reporter_id: int, chat_id: int, now: datetime
) -> tuple[int, str, Language] | None:
    """The rating awaiting a comment (none while the reporter writes a new report): its
    report id, ticket and the report's language."""
    row = await tx.one(
        "SELECT g.report_id, r.ticket, r.language"
        " FROM ratings g JOIN reports r ON r.id = g.report_id"
        " WHERE g.reporter_id = ? AND g.comment_until IS NOT NULL AND g.comment_until > ?"
        " AND NOT EXISTS (SELECT 1 FROM drafts WHERE chat_id = ?)"
        " ORDER BY g.rated_at DESC LIMIT 1",
        (reporter_id, utc_iso(now), chat_id),
    )
    if row is None:
        return None
    lang: Language = "en" if row["language"] == "en" else "id"
    return int(row["report_id"]), str(row["ticket"]), lang


async def set_comment(tx: Tx, report_id: int, comment: str) -> None:
    """Store a rating's comment; no further comment is awaited."""
    await tx.execute(
        "UPDATE ratings SET comment = ?, comment_until = NULL WHERE report_id = ?",
        (comment, report_id),
    )


async def skip_comment(tx: Tx, report_id: int, reporter_id: int) -> bool:
    """The reporter declined to comment; True if a comment was awaited."""
    cur = await tx.execute(
        "UPDATE ratings SET comment_until = NULL WHERE report_id = ? AND reporter_id = ?"
        " AND comment_until IS NOT NULL",
        (report_id, reporter_id),
    )
    return bool(cur.rowcount)


async def rating_of(db: Database, report_id: int) -> tuple[int, str | None] | None:
    """A report's stars and comment, if rated."""
    async with db.read() as tx:
        row = await tx.one("SELECT stars, comment FROM ratings WHERE report_id = ?", (report_id,))
    return (int(row["stars"]), row["comment"]) if row else None
