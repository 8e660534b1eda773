"""Trusted reporters against a real database: invitations used at once by more people than
allowed, the badge a report is filed with, a prank closing, retention, the audit log, and
how cards show the badge."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.domain import lifecycle
from bot.domain.card import CardState
from bot.domain.lifecycle import Disposition
from bot.domain.messages import OutboundMessage
from bot.domain.models import TrustRole
from bot.domain.routing import load_routing
from bot.domain.strikes import StrikePolicy, StrikeRecord
from bot.domain.trust import (
    InvitationRequest,
    Redemption,
    Standing,
    TrustEventKind,
    TrustStatus,
    token_digest,
)
from bot.services import delivery, reports, retention, trust
from bot.services.reports import Submitted
from bot.services.trust import Actor, Changed, Unchanged
from handlers.views.card import CardRenderer
from storage import trust as store
from storage.cards import card_state
from storage.db import Database
from storage.reporters import strike_record
from tests.support import factories as f

SARI = Actor(7, "Sari")
SAR = InvitationRequest(TrustRole.RELAWAN, "SAR Semarang", uses=2, validity=timedelta(days=7))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "t.sqlite3")
    yield database
    await database.close()


def nothing(*_: object) -> list[OutboundMessage]:
    return []


def card(state: CardState) -> list[OutboundMessage]:
    return [OutboundMessage(-100, "send_message", {"text": "card"}, "card", 20, state.report.id)]


async def join(db: Database, user_id: int, request: InvitationRequest = SAR) -> Standing:
    token, _ = await trust.invite(db, request, SARI, f.at(5))
    opened = await trust.open_invitation(db, token, f.reporter(user_id), f.at(5, 1), nothing)
    assert opened.outcome is Redemption.JOINED and opened.standing is not None
    return opened.standing


async def file(db: Database, user_id: int, uid: str, minute: int = 10, day: int = 27) -> int:
    draft = f.draft(chat_id=user_id, uid=uid)
    at = f.at(5, minute, day)
    done = await reports.submit_report(db, draft, f.reporter(user_id), f.intake(), at, card)
    assert isinstance(done, Submitted)
    async with db.transaction() as tx:
        await delivery.mark_received(tx, done.report.id, at)
    return done.report.id


async def close(db: Database, report_id: int, disposition: Disposition, minute: int = 20) -> None:
    action = lifecycle.Close(lifecycle.Dispatcher(SARI.user_id, SARI.name), disposition)
    await reports.apply_action(
        db, report_id, action, f.at(5, minute), lambda s, t: [], strikes=StrikePolicy(2)
    )


async def test_an_invitation_opened_by_more_people_at_once_binds_only_as_many_as_allowed(
    db: Database,
) -> None:
    token, invitation = await trust.invite(db, SAR, SARI, f.at(5))
    people = [f.reporter(3000 + n) for n in range(6)]
    opened = await asyncio.gather(
        *(trust.open_invitation(db, token, p, f.at(5, 1), nothing) for p in people)
    )
    outcomes = sorted(o.outcome.value for o in opened)
    assert outcomes == ["joined", "joined", "used_up", "used_up", "used_up", "used_up"]
    async with db.read() as tx:
        found = await store.invitation_by_digest(tx, token_digest(token))
    assert found is not None and found.uses == 2 == invitation.max_uses


async def test_a_report_carries_the_badge_its_reporter_had_when_filing(db: Database) -> None:
    await join(db, 1001)
    badged = await file(db, 1001, "aaaaaaaa")
    state = await card_state(db, badged)
    assert state.report.badge is not None and state.report.badge.community == "SAR Semarang"
    assert state.trust is not None and state.trust.status is TrustStatus.ACTIVE
    done = await trust.revoke(db, "1001", SARI, f.at(5, 30), nothing)
    assert isinstance(done, Changed) and done.after.status is TrustStatus.REVOKED
    later = await file(db, 1001, "bbbbbbbb", minute=40)
    assert (await card_state(db, later)).report.badge is None
    assert (await card_state(db, badged)).report.badge is not None  # kept for statistics
    assert await trust.revoke(db, "1001", SARI, f.at(5, 50), nothing) is Unchanged.NOT_TRUSTED
    assert await trust.revoke(db, "@nobody", SARI, f.at(5, 50), nothing) is (
        Unchanged.UNKNOWN_PERSON
    )


async def test_a_prank_on_a_badged_report_suspends_instead_of_striking(db: Database) -> None:
    await join(db, 1001)
    trusted = await file(db, 1001, "aaaaaaaa")
    await close(db, trusted, Disposition.PRANK)
    assert await strike_record(db, 1001) == StrikeRecord(0, False)
    async with db.read() as tx:
        now = await store.standing_in(tx, 1001)
    assert now is not None and now.status is TrustStatus.SUSPENDED
    events = await store.trust_events(db)
    assert [e.kind for e in events] == [
        TrustEventKind.INVITED,
        TrustEventKind.JOINED,
        TrustEventKind.SUSPENDED,
    ]
    assert (events[-1].actor_name, events[-1].subject_id) == ("Sari", 1001)
    # While suspended: no badge, and a report closed as a prank is a strike like anyone's.
    plain = await file(db, 1001, "bbbbbbbb", minute=30)
    assert (await card_state(db, plain)).report.badge is None
    await close(db, plain, Disposition.PRANK, minute=40)
    assert await strike_record(db, 1001) == StrikeRecord(1, False)
    reinstated = await trust.reinstate(db, "1001", SARI, f.at(6), nothing)
    assert isinstance(reinstated, Changed) and reinstated.after.status is TrustStatus.ACTIVE
    assert await trust.reinstate(db, "1001", SARI, f.at(6), nothing) is Unchanged.NOT_SUSPENDED


async def test_the_audit_log_is_append_only(db: Database, tmp_path: Path) -> None:
    await join(db, 1001)
    with sqlite3.connect(tmp_path / "t.sqlite3") as con:
        for sql in (
            "UPDATE trust_events SET kind = 'joined'",
            "UPDATE trust_events SET actor_name = 'someone else'",
            "DELETE FROM trust_events",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute(sql)
        con.execute("UPDATE trust_events SET subject_name = NULL")  # retention may


async def test_retention_forgets_revoked_roles_and_keeps_the_statistics(
    db: Database, tmp_path: Path
) -> None:
    await join(db, 1001)
    await join(db, 1002, InvitationRequest(TrustRole.PETUGAS, "Satpol PP"))
    for user_id, uid in ((1001, "aaaaaaaa"), (1002, "bbbbbbbb")):
        await close(db, await file(db, user_id, uid), Disposition.FALSE_ALARM)
    await trust.revoke(db, "1001", SARI, f.at(5, 30), nothing)
    await file(db, 1003, "cccccccc", day=29)  # the city goes on: time has really passed

    await retention.purge(db, cutoff=f.at(5, day=28), now=f.at(5, day=29))
    with sqlite3.connect(tmp_path / "t.sqlite3") as con:
        roles = con.execute("SELECT user_id, status FROM trusted_reporters").fetchall()
        kept = con.execute(
            "SELECT reporter_id, trust_role, trust_community FROM reports ORDER BY id"
        ).fetchall()
        names = con.execute(
            "SELECT DISTINCT subject_id, subject_name FROM trust_events"
            " WHERE subject_id IS NOT NULL ORDER BY subject_id"
        ).fetchall()
        kinds = con.execute("SELECT kind FROM trust_events ORDER BY id").fetchall()
        people = con.execute("SELECT user_id, first_name FROM reporters ORDER BY 1").fetchall()
    assert roles == [(1002, "active")]  # the revoked role is gone, the active one stays
    # A purged report keeps the role (statistics), not its detail.
    assert kept == [(1001, "relawan", None), (1002, "petugas", None), (1003, None, None)]
    assert names == [(1001, None), (1002, "Budi Santoso")]
    assert [k for (k,) in kinds] == ["invited", "joined", "invited", "joined", "revoked"]
    # Names go with the reports, but a member with a live role stays named (/relawan).
    assert people == [(1001, "—"), (1002, "Budi"), (1003, "Budi")]


async def test_an_active_role_keeps_a_quiet_member_from_being_forgotten(
    db: Database, tmp_path: Path
) -> None:
    await join(db, 1001)
    await retention.purge(db, cutoff=f.at(5, day=28), now=f.at(5, day=28))
    with sqlite3.connect(tmp_path / "t.sqlite3") as con:
        assert con.execute("SELECT first_name FROM reporters").fetchall() == [("Budi",)]


# --- cards -------------------------------------------------------------------------------


async def test_agency_copies_show_the_role_even_with_the_identity_hidden(
    db: Database, tmp_path: Path
) -> None:
    await join(db, 1001)
    draft = f.draft(uid="aaaaaaaa", anonymous_to_agencies=True)
    done = await reports.submit_report(db, draft, f.reporter(1001), f.intake(), f.at(5), card)
    assert isinstance(done, Submitted)
    state = await card_state(db, done.report.id)
    routing = load_routing(None)
    renderer = CardRenderer(f.settings(tmp_path), routing)
    agency = routing.agency("polrestabes")
    copy = renderer.agency_card_text(state, agency, f.at(5, 1))
    assert "✅ <b>Relawan — SAR Semarang</b>" in copy
    assert "Budi" not in copy and "+6281234567890" not in copy
    central, _ = renderer.card_text(state, f.at(5, 1))
    assert "✅ <b>Relawan — SAR Semarang</b>" in central and "Budi" in central


async def test_digests_list_trusted_reports_first_among_equal_priorities(
    db: Database, tmp_path: Path
) -> None:
    public = await file(db, 1002, "aaaaaaaa", minute=1)
    await join(db, 1001)
    trusted = await file(db, 1001, "bbbbbbbb", minute=2)
    renderer = CardRenderer(f.settings(tmp_path), load_routing(None))
    states = [await card_state(db, public), await card_state(db, trusted)]
    text = renderer.digest(states, f.at(5, 3)).payload["text"]
    first, second = (await card_state(db, trusted)).report.ticket, states[0].report.ticket
    assert text.index(first) < text.index(second)
    assert f"✅ <code>{first}</code>" in text
