"""Trusted reporters, the pure rules: asking for an invitation, tokens, opening a link,
what a prank does, the queue order and the statistics against the public."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from telegram.helpers import create_deep_linked_url

from bot.domain.categories import Category
from bot.domain.lifecycle import Disposition
from bot.domain.models import Badge, Report, TrustRole
from bot.domain.queue import QueueEntry, report_queue_key
from bot.domain.stats import Period
from bot.domain.strikes import StrikeRecord, record_strike
from bot.domain.trust import (
    DEFAULT_VALIDITY,
    Invitation,
    InvitationError,
    InvitationRequest,
    Redemption,
    Standing,
    TrustStatus,
    after_close,
    deep_link_payload,
    new_token,
    parse_invitation,
    parse_validity,
    redeem,
    token_digest,
    token_from_payload,
)
from bot.domain.trust_stats import Tally, TrustFact, trust_share

T0 = datetime(2026, 3, 27, 5, 0, tzinfo=UTC)
SAR = Badge(role=TrustRole.RELAWAN, community="SAR Semarang")

# --- asking for an invitation ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'relawan "SAR Semarang" 5 7d',
            InvitationRequest(TrustRole.RELAWAN, "SAR Semarang", 5, timedelta(days=7)),
        ),
        (  # curly quotes from a phone keyboard, the order of the options swapped
            "relawan “SAR Semarang” 12jam 3",
            InvitationRequest(TrustRole.RELAWAN, "SAR Semarang", 3, timedelta(hours=12)),
        ),
        (  # unquoted: every word before the options is the community
            "petugas Satpol PP Kota Semarang 2",
            InvitationRequest(TrustRole.PETUGAS, "Satpol PP Kota Semarang", 2, DEFAULT_VALIDITY),
        ),
        ("RT/RW Pleburan", InvitationRequest(TrustRole.RT_RW, "Pleburan")),
        (
            "volunteer Tagana 2w",
            InvitationRequest(TrustRole.RELAWAN, "Tagana", 1, timedelta(weeks=2)),
        ),
        # A community that is only a number is still a community, not a count.
        ("rt 5", InvitationRequest(TrustRole.RT_RW, "5")),
        ("", InvitationError.USAGE),
        ("relawan", InvitationError.USAGE),
        ("warga Pleburan", InvitationError.ROLE),
        ('relawan "SAR Semarang', InvitationError.USAGE),  # unclosed quote
        ("relawan " + "x" * 65, InvitationError.COMMUNITY),
        ('relawan "\u200b" 2', InvitationError.COMMUNITY),  # invisible once cleaned
        ("relawan SAR 0", InvitationError.USES),
        ("relawan SAR 101", InvitationError.USES),
        ("relawan SAR 31d", InvitationError.VALIDITY),
        ("relawan SAR 0m", InvitationError.VALIDITY),
    ],
)
def test_an_invitation_request_is_read_from_the_command(
    text: str, expected: InvitationRequest | InvitationError
) -> None:
    assert parse_invitation(text) == expected


def test_validity_units_avoid_the_ambiguous_h() -> None:
    assert parse_validity("7d") == parse_validity("7 hari") == timedelta(days=7)
    assert parse_validity("12j") == parse_validity("12jam") == timedelta(hours=12)
    assert parse_validity("30m") == parse_validity("30menit") == timedelta(minutes=30)
    assert parse_validity("7h") is None  # "hari" to an Indonesian, "hours" to an English eye
    assert parse_validity("soon") is None


# --- tokens ------------------------------------------------------------------------------


def test_tokens_are_random_fit_a_deep_link_and_are_stored_as_a_keyed_digest() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    token = tokens.pop()
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    payload = deep_link_payload(token)
    link = create_deep_linked_url("semarang112_bot", payload)  # validates the payload
    assert link == f"https://t.me/semarang112_bot?start={payload}"
    assert token_from_payload(payload) == token
    assert token_from_payload("lapor") is None
    assert token_from_payload("inv_") == ""  # cut to nothing: looked up, found nowhere
    digest = token_digest(token)
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and token not in digest
    assert digest != hashlib.sha256(token.encode()).hexdigest()  # single-purpose context
    assert token_digest(token) == digest


# --- opening a link ----------------------------------------------------------------------


def invitation(uses: int = 0, max_uses: int = 2, **over: object) -> Invitation:
    values: dict[str, object] = {
        "id": 1,
        "role": TrustRole.RELAWAN,
        "community": "SAR Semarang",
        "max_uses": max_uses,
        "uses": uses,
        "created_at": T0,
        "expires_at": T0 + timedelta(days=7),
    }
    values.update(over)
    return Invitation(**values)  # type: ignore[arg-type]


def standing(status: TrustStatus, since: datetime, community: str = "PMI") -> Standing:
    return Standing(TrustRole.RELAWAN, community, status, since)


@pytest.mark.parametrize(
    ("found", "holder", "now", "outcome"),
    [
        (invitation(), None, T0, Redemption.JOINED),
        (None, None, T0, Redemption.UNKNOWN),
        (invitation(), None, T0 + timedelta(days=7), Redemption.EXPIRED),  # at the second
        (invitation(uses=2), None, T0, Redemption.USED_UP),
        # The holder of this very role opening it again: nothing spent, even when used up.
        (
            invitation(uses=2),
            standing(TrustStatus.ACTIVE, T0, "SAR Semarang"),
            T0,
            Redemption.ALREADY,
        ),
        # Another active role: the new invitation replaces it.
        (invitation(), standing(TrustStatus.ACTIVE, T0), T0, Redemption.JOINED),
        # Suspended or revoked after the link was made: the old link cannot undo it …
        (
            invitation(),
            standing(TrustStatus.SUSPENDED, T0 + timedelta(hours=1)),
            T0,
            Redemption.SUSPENDED,
        ),
        (
            invitation(),
            standing(TrustStatus.REVOKED, T0 + timedelta(hours=1)),
            T0,
            Redemption.REVOKED,
        ),
        # … a link made after the decision is a dispatcher's fresh choice.
        (
            invitation(),
            standing(TrustStatus.REVOKED, T0 - timedelta(hours=1)),
            T0,
            Redemption.JOINED,
        ),
    ],
)
def test_opening_an_invitation(
    found: Invitation | None, holder: Standing | None, now: datetime, outcome: Redemption
) -> None:
    assert redeem(found, holder, now) is outcome
    assert outcome.binds is (outcome is Redemption.JOINED)


def test_only_an_active_role_gives_a_badge() -> None:
    active = Standing(TrustRole.RELAWAN, "SAR Semarang", TrustStatus.ACTIVE, T0)
    assert active.badge == SAR
    assert active.became(TrustStatus.SUSPENDED, T0).badge is None
    assert active.became(TrustStatus.REVOKED, T0).badge is None


# --- what a closing does -----------------------------------------------------------------


def test_a_trusted_report_closed_as_a_prank_suspends_the_role_and_gives_no_strike() -> None:
    active = Standing(TrustRole.RELAWAN, "SAR Semarang", TrustStatus.ACTIVE, T0)
    later = T0 + timedelta(hours=2)
    assert record_strike(StrikeRecord(2), Disposition.PRANK, trusted=True) is None
    assert record_strike(StrikeRecord(2), Disposition.PRANK) == StrikeRecord(3, True)
    assert after_close(Disposition.PRANK, SAR, active, later) == active.became(
        TrustStatus.SUSPENDED, later
    )
    assert after_close(Disposition.FALSE_ALARM, SAR, active, later) is None  # good faith
    assert after_close(Disposition.PRANK, None, active, later) is None  # filed before joining
    revoked = active.became(TrustStatus.REVOKED, T0)
    assert after_close(Disposition.PRANK, SAR, revoked, later) is None
    assert after_close(Disposition.PRANK, SAR, None, later) is None


# --- queue order -------------------------------------------------------------------------


def report(
    n: int, category: Category, minute: int, *, sos: bool = False, trusted: bool = False
) -> Report:
    return Report(
        id=n,
        ticket=f"SMG-260327-{n:04d}",
        reporter_id=n,
        chat_id=n,
        language="id",
        category=category,
        state="received",
        location=None,
        details=None,
        phone=None,
        submitted_at=T0 + timedelta(minutes=minute),
        sos=sos,
        badge=SAR if trusted else None,
    )


def test_trusted_reports_sort_first_among_equal_priorities_only() -> None:
    reports = [
        report(1, Category.FALLEN_TREE, 0),
        report(2, Category.TRAFFIC_ACCIDENT, 1),  # life-threatening
        report(3, Category.FALLEN_TREE, 2, trusted=True),
        report(4, Category.TRAFFIC_ACCIDENT, 3, trusted=True),
        report(5, Category.FALLEN_TREE, 4, sos=True),
        report(6, Category.TRAFFIC_ACCIDENT, 5, trusted=True),
    ]
    order = [r.id for r in sorted(reports, key=report_queue_key)]
    assert order == [5, 4, 6, 2, 3, 1]
    entries = [
        QueueEntry(r.id, r.category, r.sos, r.badge is not None, r.submitted_at) for r in reports
    ]
    assert [e.report_id for e in sorted(entries, key=QueueEntry.key)] == order


# --- statistics --------------------------------------------------------------------------


def test_trusted_share_and_prank_rates_against_the_public() -> None:
    wib = ZoneInfo("Asia/Jakarta")
    period = Period("day", date(2026, 3, 27), date(2026, 3, 27), wib)
    noon = datetime(2026, 3, 27, 12, tzinfo=wib).astimezone(UTC)
    facts = [
        TrustFact(noon, "relawan", "resolved"),
        TrustFact(noon, "relawan", "prank"),
        TrustFact(noon, "petugas", None),
        *(TrustFact(noon, None, "prank") for _ in range(3)),
        *(TrustFact(noon, None, "resolved") for _ in range(3)),
        TrustFact(noon - timedelta(days=1), "relawan", "prank"),  # the day before: left out
    ]
    share = trust_share(facts, period)
    assert share.trusted == Tally(3, 1) and share.public == Tally(6, 3)
    assert share.total == 9 and share.trusted_share == pytest.approx(1 / 3)
    assert share.trusted.prank_share == pytest.approx(1 / 3)
    assert share.public.prank_share == 0.5
    assert share.by_role == ((TrustRole.RELAWAN, Tally(2, 1)), (TrustRole.PETUGAS, Tally(1, 0)))
    empty = trust_share([], period)
    assert empty.trusted_share is None and empty.public.prank_share is None
