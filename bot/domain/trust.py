"""Trusted reporters: invitations, a person's standing, what a prank does to it. Pure.

A dispatcher invites a role (``/undang relawan "SAR Semarang" 5 7d``): a volunteer of a
community, a neighbourhood head (RT/RW) of a kelurahan, or a field officer of an agency.
The invitation is a random token in a deep link (``t.me/<bot>?start=inv_<token>``), good
for ``uses`` people until it expires. Opening it binds the person's Telegram account to
the role: their reports then carry a :class:`~bot.domain.models.Badge`, sort first among
equal priorities (:mod:`bot.domain.queue`) and never count toward prank strikes
automatically. A dispatcher may still close one as a prank; that suspends the role
pending review (:func:`after_close`), and a dispatcher then reinstates or revokes it.

Tokens are stored only as :func:`token_digest`; see there why a plain SHA-256 suffices.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shlex
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from bot.domain.lifecycle import Disposition
from bot.domain.models import Badge, Reporter, TrustRole, clean_text
from bot.domain.strikes import counts_as_strike

__all__ = [
    "DEFAULT_USES",
    "DEFAULT_VALIDITY",
    "INVITATION_PREFIX",
    "MAX_COMMUNITY_CHARS",
    "MAX_USES",
    "MAX_VALIDITY",
    "Invitation",
    "InvitationError",
    "InvitationRequest",
    "Redemption",
    "Standing",
    "TrustEvent",
    "TrustEventKind",
    "TrustStatus",
    "TrustedPerson",
    "after_close",
    "deep_link_payload",
    "list_order",
    "new_token",
    "parse_invitation",
    "parse_role",
    "parse_validity",
    "redeem",
    "token_digest",
    "token_from_payload",
]

INVITATION_PREFIX: Final = "inv_"
"""A ``/start`` payload that starts with this is an invitation token (``lapor`` is not)."""
TOKEN_BYTES: Final = 24  # 192 random bits: 32 URL-safe characters, 36 with the prefix (≤ 64)
DEFAULT_USES: Final = 1
MAX_USES: Final = 100
DEFAULT_VALIDITY: Final = timedelta(days=7)
MAX_VALIDITY: Final = timedelta(days=30)
MAX_COMMUNITY_CHARS: Final = 64

_DIGEST_CONTEXT: Final = b"semarang112/trusted-reporter-invitation\x00"


class TrustStatus(StrEnum):
    """Where a person's trusted role stands."""

    ACTIVE = "active"
    SUSPENDED = "suspended"  # a report of theirs was closed as a prank: pending review
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class Standing:
    """A person's trusted role as recorded: what, and since when it is in this status."""

    role: TrustRole
    community: str
    status: TrustStatus
    since: datetime

    @property
    def badge(self) -> Badge | None:
        """The badge their new reports carry: only while the role is active."""
        if self.status is not TrustStatus.ACTIVE:
            return None
        return Badge(role=self.role, community=self.community)

    def became(self, status: TrustStatus, at: datetime) -> Standing:
        """The same role in another status from ``at``."""
        return Standing(self.role, self.community, status, at)


# --- asking for an invitation ------------------------------------------------------------

_ROLE_WORDS: Final[dict[str, TrustRole]] = {
    "relawan": TrustRole.RELAWAN,
    "volunteer": TrustRole.RELAWAN,
    "rt_rw": TrustRole.RT_RW,
    "rtrw": TrustRole.RT_RW,
    "rt": TrustRole.RT_RW,
    "rw": TrustRole.RT_RW,
    "petugas": TrustRole.PETUGAS,
    "officer": TrustRole.PETUGAS,
}

# Days (d, hari), weeks (w, minggu), hours (j, jam — "h" is left out: it reads as "hari" in
# Indonesian and as "hours" in English) and minutes (m, mnt, menit).
_VALIDITY = re.compile(r"(\d{1,4})\s*(d|hari|w|minggu|j|jam|m|mnt|menit)")
_UNIT: Final[dict[str, timedelta]] = {
    "d": timedelta(days=1),
    "hari": timedelta(days=1),
    "w": timedelta(weeks=1),
    "minggu": timedelta(weeks=1),
    "j": timedelta(hours=1),
    "jam": timedelta(hours=1),
    "m": timedelta(minutes=1),
    "mnt": timedelta(minutes=1),
    "menit": timedelta(minutes=1),
}
# Phones type curly quotes; shlex knows only the straight ones.
_QUOTES: Final = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})


def parse_role(word: str) -> TrustRole | None:
    """``relawan``/``rt_rw``/``petugas`` (or volunteer, rt, rw, officer), else None."""
    return _ROLE_WORDS.get(word.strip().lower().replace("/", "_").replace("-", "_"))


def parse_validity(word: str) -> timedelta | None:
    """``7d``, ``2w``, ``12jam``, ``30m`` → a duration; None if not one."""
    found = _VALIDITY.fullmatch(word.strip().lower())
    if found is None:
        return None
    return int(found.group(1)) * _UNIT[found.group(2)]


class InvitationError(StrEnum):
    """Why an invitation request cannot be made."""

    USAGE = "usage"  # no role or no community
    ROLE = "role"
    COMMUNITY = "community"  # too long, or empty once cleaned
    USES = "uses"  # outside 1 … MAX_USES
    VALIDITY = "validity"  # zero or past MAX_VALIDITY


@dataclass(frozen=True, slots=True)
class InvitationRequest:
    """What a dispatcher asked for: a role in a community, for ``uses`` people, valid
    for ``validity``."""

    role: TrustRole
    community: str
    uses: int = DEFAULT_USES
    validity: timedelta = DEFAULT_VALIDITY

    @property
    def badge(self) -> Badge:
        """The badge the invited people's reports will carry."""
        return Badge(role=self.role, community=self.community)


def _split(text: str) -> list[str] | None:
    try:
        return shlex.split(text.translate(_QUOTES))
    except ValueError:  # an unclosed quote
        return None


def parse_invitation(text: str) -> InvitationRequest | InvitationError:
    """``relawan "SAR Semarang" 5 7d``: role, community (quoted, or every word left), then
    optionally how many people may use it and how long it is valid, in either order."""
    words = _split(text)
    if not words or len(words) < 2:
        return InvitationError.USAGE
    role = parse_role(words[0])
    if role is None:
        return InvitationError.ROLE
    rest = words[1:]
    uses, validity = DEFAULT_USES, DEFAULT_VALIDITY
    seen_uses = seen_validity = False
    while len(rest) > 1 and not (seen_uses and seen_validity):
        tail = rest[-1]
        if tail.isdigit() and not seen_uses:
            uses, seen_uses = int(tail), True
        elif (found := parse_validity(tail)) is not None and not seen_validity:
            validity, seen_validity = found, True
        else:
            break
        rest = rest[:-1]
    community = clean_text(" ".join(rest))
    if not community or len(community) > MAX_COMMUNITY_CHARS:
        return InvitationError.COMMUNITY
    if not 1 <= uses <= MAX_USES:
        return InvitationError.USES
    if not timedelta(0) < validity <= MAX_VALIDITY:
        return InvitationError.VALIDITY
    return InvitationRequest(role, community, uses, validity)


# --- tokens ------------------------------------------------------------------------------


def new_token() -> str:
    """A fresh invitation token: 192 bits from :mod:`secrets`, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What the database keeps of a token: SHA-256 of the token under a fixed context.

    A slow password hash (bcrypt, scrypt) protects *guessable* secrets. These tokens are
    192 random bits, so no dictionary or brute force gets near them: one fast hash is
    enough to make a copy of the database useless for joining, and lets a token be found
    by an indexed lookup of its digest. The context string keeps the digest single-purpose
    (the same bytes used elsewhere would hash differently).
    """
    return hashlib.sha256(_DIGEST_CONTEXT + token.encode()).hexdigest()


def deep_link_payload(token: str) -> str:
    """The ``/start`` payload of an invitation's deep link."""
    return INVITATION_PREFIX + token


def token_from_payload(payload: str) -> str | None:
    """The token of an invitation payload (possibly forged or cut); None if the payload is
    not an invitation at all."""
    if not payload.startswith(INVITATION_PREFIX):
        return None
    return payload.removeprefix(INVITATION_PREFIX)


# --- opening an invitation ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Invitation:
    """An invitation as stored (never its token)."""

    id: int
    role: TrustRole
    community: str
    max_uses: int
    uses: int
    created_at: datetime
    expires_at: datetime

    @property
    def badge(self) -> Badge:
        """The badge the invited people's reports carry."""
        return Badge(role=self.role, community=self.community)


class Redemption(StrEnum):
    """What opening an invitation link does."""

    JOINED = "joined"
    ALREADY = "already"  # they hold this very role already: nothing used up
    UNKNOWN = "unknown"  # no such token: forged, cut or mistyped
    EXPIRED = "expired"
    USED_UP = "used_up"
    SUSPENDED = "suspended"  # their role is under review after a prank
    REVOKED = "revoked"  # their role was revoked after this link was made

    @property
    def binds(self) -> bool:
        """True when the person now holds the invitation's role (and a use is spent)."""
        return self is Redemption.JOINED


def redeem(invitation: Invitation | None, standing: Standing | None, now: datetime) -> Redemption:
    """What happens when a person with ``standing`` opens ``invitation`` at ``now``.

    A suspended or revoked person cannot lift that themselves with a link made before the
    decision (a community's 5-use link still going round, say); a newer invitation is a
    dispatcher's fresh choice and binds them again.
    """
    if invitation is None:
        return Redemption.UNKNOWN
    if standing is not None and standing.badge == invitation.badge:
        return Redemption.ALREADY
    if now >= invitation.expires_at:
        return Redemption.EXPIRED
    if invitation.uses >= invitation.max_uses:
        return Redemption.USED_UP
    if standing is not None and invitation.created_at <= standing.since:
        if standing.status is TrustStatus.SUSPENDED:
            return Redemption.SUSPENDED
        if standing.status is TrustStatus.REVOKED:
            return Redemption.REVOKED
    return Redemption.JOINED


def after_close(
    disposition: Disposition, report_badge: Badge | None, standing: Standing | None, at: datetime
) -> Standing | None:
    """The reporter's standing after a dispatcher closed their report; None: unchanged.

    A report filed with a badge gives no strike (:func:`bot.domain.strikes.record_strike`);
    closed as a prank, it suspends its reporter's role, if still active, pending review.
    """
    if not counts_as_strike(disposition) or report_badge is None:
        return None
    if standing is None or standing.status is not TrustStatus.ACTIVE:
        return None
    return standing.became(TrustStatus.SUSPENDED, at)


# --- the audit log and the list of trusted people ----------------------------------------


class TrustEventKind(StrEnum):
    """What the audit log records."""

    INVITED = "invited"  # a dispatcher made an invitation
    JOINED = "joined"  # a person opened it and holds the role
    REFUSED = "refused"  # a person opened a known link that could not bind them (note: why)
    SUSPENDED = "suspended"  # a report filed with the badge was closed as a prank
    REINSTATED = "reinstated"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class TrustEvent:
    """One line of the audit log: who did what to whom, when (never a token)."""

    kind: TrustEventKind
    at: datetime
    actor_id: int | None = None
    actor_name: str | None = None
    subject_id: int | None = None
    subject_name: str | None = None
    invitation_id: int | None = None
    role: TrustRole | None = None
    community: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TrustedPerson:
    """A person with a trusted role, as ``/relawan`` lists them."""

    reporter: Reporter
    standing: Standing
    reports: int  # reports filed with the badge
    last_active: datetime | None  # last time they wrote to the bot or filed a report


def list_order(person: TrustedPerson) -> tuple[int, str, int, str]:
    """Sort key of the list: by role, community, then active before suspended, by name."""
    roles = list(TrustRole)
    statuses = list(TrustStatus)
    return (
        roles.index(person.standing.role),
        person.standing.community.casefold(),
        statuses.index(person.standing.status),
        person.reporter.full_name.casefold(),
    )
