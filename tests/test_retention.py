"""Retention: personal data of long-closed reports is purged; statistics stay right."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain import lifecycle
from bot.domain.lifecycle import Disposition
from storage import reports as store
from storage import retention
from storage.db import Database
from storage.outbox import OutboundMessage
from tests import factories as f

WIB = ZoneInfo("Asia/Jakarta")


def card(state: store.CardState) -> list[OutboundMessage]:
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
    done = await store.submit_draft(
        db, d, rep, city_code="SMG", tz=WIB, now=f.at(at_hour), messages=card
    )
    rid = done.report.id
    async with db.transaction() as tx:
        await store.mark_received(tx, rid, f.at(at_hour))
        await store.map_message(tx, -100, 1000 + rid, rid, "card", f.at(at_hour))
    sari = lifecycle.Dispatcher(1, "Sari")
    await store.apply_action(db, rid, lifecycle.Claim(sari), f.at(at_hour, 5), lambda s, t: [])
    await store.apply_action(
        db, rid, lifecycle.Close(sari, Disposition.FALSE_ALARM), f.at(at_hour, 9), lambda s, t: []
    )
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
    events = await store.report_events(db, old)
    assert events[0].actor_name is None and events[0].kind.value == "submitted"
    assert [e.kind.value for e in events] == ["submitted", "card_delivered", "claimed", "closed"]
    state = await store.card_state(db, old)
    assert state.snapshot.disposition is Disposition.FALSE_ALARM
    assert state.snapshot.t1 - state.snapshot.t0 == timedelta(minutes=5)  # type: ignore[operator]
    assert await store.report_for_message(db, -100, 1000 + old) is None
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
