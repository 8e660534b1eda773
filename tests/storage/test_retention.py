"""Retention: personal data of long-closed reports is purged; statistics stay right."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.lifecycle import Disposition
from bot.domain.messages import OutboundMessage
from bot.domain.models import LocationSource
from bot.domain.retention import coarsen
from bot.domain.strikes import StrikePolicy
from bot.services import delivery, retention
from bot.services.reports import Submitted, apply_action, submit_report
from storage import reports as store
from storage.cards import card_state
from storage.db import Database
from storage.events import report_events
from storage.message_map import map_message, report_for_message
from tests.support import factories as f


def card(state: CardState) -> list[OutboundMessage]:
    return [
        OutboundMessage(
            -100, "send_message", {"text": state.report.details or ""}, "card", 1, state.report.id
        )
    ]


async def closed_report(db: Database, user_id: int, at_hour: int) -> int:
    d = f.draft(
        chat_id=user_id,
        attachments=[f.photo(user_id)],
        location=f.location(accuracy_m=12, text="Jl. Pahlawan 1"),
    )
    rep = f.reporter(user_id)
    done = await submit_report(db, d, rep, f.intake(), f.at(at_hour), card)
    assert isinstance(done, Submitted)
    rid = done.report.id
    async with db.transaction() as tx:
        await delivery.mark_received(tx, rid, f.at(at_hour))
        await map_message(tx, -100, 1000 + rid, rid, "card", f.at(at_hour))
    sari = lifecycle.Dispatcher(1, "Sari")
    policy = StrikePolicy()
    await apply_action(
        db, rid, lifecycle.Claim(sari), f.at(at_hour, 5), lambda s, t: [], strikes=policy
    )
    close = lifecycle.Close(sari, Disposition.FALSE_ALARM)
    await apply_action(db, rid, close, f.at(at_hour, 9), lambda s, t: [], strikes=policy)
    return rid


async def test_old_closed_reports_lose_personal_data_and_keep_their_statistics(
    tmp_path: Path,
) -> None:
    db = await Database.open(tmp_path / "r.sqlite3")
    old = await closed_report(db, 2001, 5)
    recent_user_report = await closed_report(db, 2002, 20)
    cutoff = f.at(12)  # between the two
    assert await retention.purge(db, cutoff, f.at(23)) == 1
    assert await retention.purge(db, cutoff, f.at(23)) == 0  # once

    gone = await store.get_report(db, old)
    assert gone is not None
    assert gone.details is None and gone.phone is None and gone.attachments == []
    assert (
        gone.location is not None
        and gone.location.text is None
        and gone.location.accuracy_m is None
    )
    assert gone.location.lat == round(f.SIMPANG_LIMA[0], 2)
    assert gone.location.kecamatan == f.draft().location.kecamatan  # type: ignore[union-attr]
    events = await report_events(db, old)
    assert events[0].actor_name is None and events[0].kind.value == "submitted"
    assert [e.kind.value for e in events] == ["submitted", "card_delivered", "claimed", "closed"]
    state = await card_state(db, old)
    assert state.snapshot.disposition is Disposition.FALSE_ALARM
    assert state.snapshot.t1 - state.snapshot.t0 == timedelta(minutes=5)  # type: ignore[operator]
    assert await report_for_message(db, -100, 1000 + old) is None
    async with db.read() as tx:
        row = await tx.one(
            "SELECT category, state, closed_at, lat FROM reports WHERE id = ?", (old,)
        )
        reporter = await tx.one(
            "SELECT first_name, username, phone FROM reporters WHERE user_id = 2001"
        )
        payload = await tx.one("SELECT payload FROM outbox WHERE report_id = ?", (old,))
    assert row is not None and row["category"] == "traffic_accident" and row["state"] == "closed"
    assert reporter is not None and reporter["first_name"] == "—" and reporter["phone"] is None
    assert payload is not None and "Motor" not in payload["payload"]

    kept = await store.get_report(db, recent_user_report)
    assert kept is not None and kept.details is not None and kept.phone is not None
    await db.close()


def test_coarsening_keeps_the_area_and_drops_what_points_to_a_person() -> None:
    live = f.location(
        LocationSource.LIVE,
        accuracy_m=8,
        text="depan warung",
        address="Jl. Pahlawan 1",
        live_message_id=55,
        kecamatan="Semarang Selatan",
    )
    kept = coarsen(live)
    assert (kept.lat, kept.lon) == (round(f.SIMPANG_LIMA[0], 2), round(f.SIMPANG_LIMA[1], 2))
    assert kept.kecamatan == "Semarang Selatan" and kept.approximate
    assert (kept.accuracy_m, kept.text, kept.address, kept.live_message_id) == (None,) * 4
    typed = coarsen(f.location(LocationSource.TYPED))
    assert typed.lat is None and typed.text == "—"
