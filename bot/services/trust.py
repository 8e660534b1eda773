"""Use cases of trusted reporters, each one transaction with its audit-log line: invite,
open an invitation, revoke, reinstate. (Suspension after a prank happens inside
:func:`bot.services.reports.apply_action`, with the closing.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.messages import OutboundMessage
from bot.domain.models import Reporter
from bot.domain.trust import (
    Invitation,
    InvitationRequest,
    Redemption,
    Standing,
    TrustedPerson,
    TrustEvent,
    TrustEventKind,
    TrustStatus,
    list_order,
    new_token,
    redeem,
    token_digest,
)
from storage import outbox, reporters
from storage import trust as store
from storage.db import Database, Tx

PersonMessages = Callable[[Reporter, Standing], list[OutboundMessage]]
JoinedMessages = Callable[[Reporter, Standing, Invitation], list[OutboundMessage]]


@dataclass(frozen=True)
class Actor:
    """The dispatcher doing it, as the audit log names them."""

    user_id: int
    name: str


async def invite(
    db: Database, request: InvitationRequest, actor: Actor, now: datetime
) -> tuple[str, Invitation]:
    """Make an invitation; returns its token (shown once, in the deep link; only its
    digest is stored) and the invitation."""
    token = new_token()
    async with db.transaction() as tx:
        invitation = await store.insert_invitation(
            tx, token_digest(token), request, actor.user_id, actor.name, now
        )
        await store.append_event(
            tx,
            TrustEvent(
                TrustEventKind.INVITED,
                now,
                actor_id=actor.user_id,
                actor_name=actor.name,
                invitation_id=invitation.id,
                role=request.role,
                community=request.community,
                note=f"uses={request.uses} expires={invitation.expires_at.isoformat()}",
            ),
        )
    return token, invitation


@dataclass(frozen=True)
class Opened:
    """What opening an invitation link did, and the person's standing after it."""

    outcome: Redemption
    invitation: Invitation | None
    standing: Standing | None


async def open_invitation(
    db: Database,
    token: str,
    reporter: Reporter,
    now: datetime,
    messages: JoinedMessages,
) -> Opened:
    """A person opened ``t.me/<bot>?start=inv_<token>``: bind them to the role if the
    invitation allows (spending one use, queueing ``messages`` — the dispatchers' notice),
    else record why not. A forged token is looked up like any other and found nowhere."""
    async with db.transaction() as tx:
        await reporters.upsert_reporter(tx, reporter, now)
        invitation = await store.invitation_by_digest(tx, token_digest(token))
        standing = await store.standing_in(tx, reporter.user_id)
        outcome = redeem(invitation, standing, now)
        if invitation is None or outcome is Redemption.ALREADY:
            return Opened(outcome, invitation, standing)
        event = TrustEvent(
            TrustEventKind.JOINED if outcome.binds else TrustEventKind.REFUSED,
            now,
            subject_id=reporter.user_id,
            subject_name=reporter.full_name,
            invitation_id=invitation.id,
            role=invitation.role,
            community=invitation.community,
            note=None if outcome.binds else outcome.value,
        )
        await store.append_event(tx, event)
        if not outcome.binds:
            return Opened(outcome, invitation, standing)
        joined = Standing(invitation.role, invitation.community, TrustStatus.ACTIVE, now)
        await store.use_invitation(tx, invitation.id)
        await store.grant(tx, reporter.user_id, joined, invitation.id)
        await outbox.enqueue(tx, messages(reporter, joined, invitation), now)
    return Opened(outcome, invitation, joined)


class Unchanged(StrEnum):
    """Why a revocation or reinstatement changed nothing."""

    UNKNOWN_PERSON = "unknown_person"
    NOT_TRUSTED = "not_trusted"  # no role, or already revoked
    NOT_SUSPENDED = "not_suspended"  # reinstating someone whose role is not suspended


@dataclass(frozen=True)
class Changed:
    """A person whose role changed status."""

    reporter: Reporter
    before: Standing
    after: Standing


async def _change(
    tx: Tx, who: str, to: TrustStatus, allowed: set[TrustStatus], actor: Actor, now: datetime
) -> Changed | Unchanged:
    reporter = await reporters.find_reporter(tx, who)
    if reporter is None:
        return Unchanged.UNKNOWN_PERSON
    before = await store.standing_in(tx, reporter.user_id)
    if before is None or before.status is TrustStatus.REVOKED:
        return Unchanged.NOT_TRUSTED
    if before.status not in allowed:
        return Unchanged.NOT_SUSPENDED
    after = before.became(to, now)
    await store.set_status(tx, reporter.user_id, to, now)
    kind = TrustEventKind.REVOKED if to is TrustStatus.REVOKED else TrustEventKind.REINSTATED
    await store.append_event(
        tx,
        TrustEvent(
            kind,
            now,
            actor_id=actor.user_id,
            actor_name=actor.name,
            subject_id=reporter.user_id,
            subject_name=reporter.full_name,
            role=before.role,
            community=before.community,
        ),
    )
    return Changed(reporter, before, after)


async def revoke(
    db: Database, who: str, actor: Actor, now: datetime, messages: PersonMessages
) -> Changed | Unchanged:
    """Revoke a person's role (by user id or @username) and queue the notice
    ``messages`` builds for them. Their earlier reports keep their badge (statistics);
    new ones carry none."""
    async with db.transaction() as tx:
        done = await _change(
            tx, who, TrustStatus.REVOKED, {TrustStatus.ACTIVE, TrustStatus.SUSPENDED}, actor, now
        )
        if isinstance(done, Changed):
            await outbox.enqueue(tx, messages(done.reporter, done.before), now)
    return done


async def reinstate(
    db: Database, who: str, actor: Actor, now: datetime, messages: PersonMessages
) -> Changed | Unchanged:
    """Lift a suspension after review: the role is active again (the person is told)."""
    async with db.transaction() as tx:
        done = await _change(tx, who, TrustStatus.ACTIVE, {TrustStatus.SUSPENDED}, actor, now)
        if isinstance(done, Changed):
            await outbox.enqueue(tx, messages(done.reporter, done.after), now)
    return done


async def trusted_people(db: Database) -> list[TrustedPerson]:
    """Everyone with an active or suspended role, by role, community, status and name."""
    return sorted(await store.trusted_people(db), key=list_order)
