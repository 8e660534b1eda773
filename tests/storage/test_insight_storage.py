"""Ratings (request on close, stars, comment, skip), stored through the real lifecycle."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.ext import ApplicationHandlerStop

from bot.domain import lifecycle
from bot.domain.lifecycle import Disposition
from bot.domain.messages import OutboundMessage
from bot.domain.models import Step
from bot.domain.strikes import StrikePolicy
from bot.services import drafts
from bot.services import insight as service
from bot.services.reports import Submitted, apply_action, submit_report
from handlers.callback_data import CallbackDataError, RateReport
from handlers.reporter.rating import capture_comment, press_rating
from handlers.views.rating import rating_request
from storage.db import Database
from storage.migrations import MIGRATIONS
from storage.ratings import rating_of
from storage.summaries import summary_recorded
from tests.storage.test_stats import context_for
from tests.support import factories as f

DISPATCHER = lifecycle.Dispatcher(7, "Sari")


async def closed_report(db: Database, disposition: Disposition, chat_id: int = 1001) -> int:
    """Submit, deliver, claim and close a report; the close queues the rating request."""
    now = f.at(5, 0)
    sub = await submit_report(
        db, f.draft(chat_id), f.reporter(chat_id), f.intake(), now, lambda s: []
    )
    assert isinstance(sub, Submitted)
    rid = sub.report.id
    steps: list[lifecycle.Action] = [
        lifecycle.CardDelivered(),
        lifecycle.Claim(DISPATCHER),
        lifecycle.Close(DISPATCHER, disposition)
        if disposition is not Disposition.DUPLICATE
        else lifecycle.Close(DISPATCHER, disposition, duplicate_of="SMG-260327-0009"),
    ]
    for i, action in enumerate(steps):
        at = now + timedelta(minutes=i + 1)
        await apply_action(db, rid, action, at, rating_request, strikes=StrikePolicy())
    return rid


async def rating_rows(db: Database) -> list[Any]:
    async with db.read() as tx:
        return await tx.all("SELECT * FROM outbox WHERE role = 'rating_request'")


async def test_closing_queues_a_rating_request_only_for_rateable_outcomes(db: Database) -> None:
    rid = await closed_report(db, Disposition.RESOLVED)
    rows = await rating_rows(db)
    assert len(rows) == 1
    row = rows[0]
    assert (row["chat_id"], row["report_id"], row["method"]) == (1001, rid, "send_message")
    payload = json.loads(row["payload"])
    assert "Beri nilai 1 (buruk) sampai 5" in payload["text"]
    buttons = payload["reply_markup"]["inline_keyboard"][0]
    assert [b["callback_data"] for b in buttons] == [f"s1:{rid}:{n}" for n in range(1, 6)]
    await closed_report(db, Disposition.PRANK, chat_id=2002)
    await closed_report(db, Disposition.DUPLICATE, chat_id=3003)
    assert len(await rating_rows(db)) == 1


async def test_rating_callback_data_is_typed_and_versioned() -> None:
    packed = RateReport(report=12, choice="skip").pack()
    assert packed == "s1:12:skip"
    assert RateReport.unpack("s1:12:4").choice == "4"
    for bad in ("s1:12:6", "s2:12:4", "s1:x:4", "k1:12:4", "s1:12"):
        with pytest.raises(CallbackDataError):
            RateReport.unpack(bad)
    assert RateReport.matches()("s1:1:1") and not RateReport.matches()("sc1:1")


async def test_stars_then_comment_within_the_window(db: Database) -> None:
    rid = await closed_report(db, Disposition.RESOLVED)
    now = f.at(6, 0)
    window = timedelta(minutes=5)
    assert await service.rate(db, rid, 9999, 5, now, window) is None  # not theirs
    rated = await service.rate(db, rid, 1001, 3, now, window)
    assert rated == service.Rated("SMG-260327-0001", 3)
    rated = await service.rate(db, rid, 1001, 4, now, window)  # changed their mind
    assert await rating_of(db, rid) == (4, None)
    # Another person's message is not a comment; the reporter's next text is.
    assert await service.take_comment(db, 2002, 2002, "halo", now) is None
    taken = await service.take_comment(db, 1001, 1001, "  Cepat sekali, terima kasih!  ", now)
    assert taken == ("SMG-260327-0001", "id")
    assert await rating_of(db, rid) == (4, "Cepat sekali, terima kasih!")
    assert await service.take_comment(db, 1001, 1001, "lagi", now) is None  # only once


async def test_no_comment_after_the_window_after_skip_or_while_writing_a_report(
    db: Database,
) -> None:
    rid = await closed_report(db, Disposition.RESOLVED)
    now = f.at(6, 0)
    await service.rate(db, rid, 1001, 5, now, timedelta(minutes=5))
    assert await service.take_comment(db, 1001, 1001, "late", now + timedelta(minutes=5)) is None
    # A new draft in the chat: the text belongs to the report being written.
    await drafts.save_draft(db, f.draft(1001, step=Step.DETAILS), now, timedelta(hours=1))
    assert await service.take_comment(db, 1001, 1001, "detail", now) is None
    await drafts.discard_draft(db, 1001)
    assert await service.skip_comment(db, rid, 1001) is True
    assert await service.take_comment(db, 1001, 1001, "x", now) is None
    assert await service.skip_comment(db, rid, 1001) is False


async def test_prank_and_open_reports_cannot_be_rated(db: Database) -> None:
    rid = await closed_report(db, Disposition.PRANK)
    assert await service.rate(db, rid, 1001, 1, f.at(6), timedelta(minutes=5)) is None
    with pytest.raises(ValueError):
        await service.rate(db, rid, 1001, 6, f.at(6), timedelta(minutes=5))


async def test_summaries_are_recorded_once_per_kind_and_period(db: Database) -> None:
    msg = OutboundMessage(-100, "send_message", {"text": "x"}, "summary")
    assert await service.record_summary(db, "daily", "2026-03-26", [msg], f.at()) is True
    assert await service.record_summary(db, "daily", "2026-03-26", [msg], f.at()) is False
    assert await service.record_summary(db, "monthly", "2026-03", [msg], f.at()) is True
    assert await summary_recorded(db, "daily", "2026-03-26")
    assert not await summary_recorded(db, "daily", "2026-03-27")
    assert "0004_ratings_and_stats_indexes" in [m.name for m in MIGRATIONS]


# --- the handlers, with recording stand-ins for Telegram objects -------------------------


def update_with(query: Query) -> Any:
    return SimpleNamespace(callback_query=query)


@dataclass
class Query:
    data: str
    user_id: int
    answers: list[str] = field(default_factory=list)
    edits: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def from_user(self) -> Any:
        return SimpleNamespace(id=self.user_id)

    async def answer(self, text: str | None = None, show_alert: bool = False) -> None:
        self.answers.append(text or "")

    async def edit_message_text(self, text: str, **kw: Any) -> None:
        self.edits.append((text, kw.get("reply_markup")))


async def test_rating_flow_through_the_handlers(db: Database, tmp_path: Path) -> None:
    rid = await closed_report(db, Disposition.RESOLVED)
    ctx = context_for(db, tmp_path, [], f.at(6, 0))

    stranger = Query(f"s1:{rid}:5", 4242)
    await press_rating(update_with(stranger), ctx)
    assert stranger.answers == ["Laporan ini tidak bisa dinilai."]
    assert await rating_of(db, rid) is None

    press = Query(f"s1:{rid}:4", 1001)
    await press_rating(update_with(press), ctx)
    text, markup = press.edits[-1]
    assert "⭐⭐⭐⭐ (4/5)" in text and "5 menit" in text
    assert markup.inline_keyboard[0][0].callback_data == f"s1:{rid}:skip"

    def message(user: int, text: str) -> Any:
        return SimpleNamespace(
            effective_message=SimpleNamespace(text=text),
            effective_user=SimpleNamespace(id=user),
            effective_chat=SimpleNamespace(id=user),
        )

    await capture_comment(message(2002, "bukan komentar"), ctx)  # passes through
    with pytest.raises(ApplicationHandlerStop):
        await capture_comment(message(1001, "Petugas ramah"), ctx)
    assert "komentar Anda untuk <code>SMG-260327-0001</code>" in ctx.bot.calls[-1][1]["text"]
    assert await rating_of(db, rid) == (4, "Petugas ramah")
    await capture_comment(message(1001, "pesan berikutnya"), ctx)  # passes through

    skip = Query(f"s1:{rid}:skip", 1001)
    await press_rating(update_with(skip), ctx)
    assert "Terima kasih atas penilaian Anda" in skip.edits[-1][0]
