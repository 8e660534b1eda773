"""Statistics of trusted reporters against the public. Pure.

For a period (by ``submitted_at``, as :mod:`bot.domain.stats`): how many reports came from
trusted reporters — a report counts as trusted when it was filed with a badge, so a
later revocation changes no statistic — their share of all reports, and the prank rate
(reports closed as ``prank`` over all reports of the group) of trusted reporters, of the
public, and of each role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.lifecycle import Disposition
from bot.domain.models import TrustRole
from bot.domain.stats import Period

_PRANK = Disposition.PRANK.value


@dataclass(frozen=True, slots=True)
class TrustFact:
    """What these statistics need of one report."""

    submitted_at: datetime
    role: str | None  # the badge's role when it was filed; None: the public
    disposition: str | None


@dataclass(frozen=True, slots=True)
class Tally:
    """Reports of one group and how many were closed as pranks."""

    reports: int = 0
    pranks: int = 0

    @property
    def prank_share(self) -> float | None:
        """Pranks over reports; None without reports."""
        return self.pranks / self.reports if self.reports else None

    def add(self, fact: TrustFact) -> Tally:
        """This tally with one more report."""
        return Tally(self.reports + 1, self.pranks + int(fact.disposition == _PRANK))


@dataclass(frozen=True, slots=True)
class TrustShare:
    """Trusted reporters against the public in one period."""

    trusted: Tally
    public: Tally
    by_role: tuple[tuple[TrustRole, Tally], ...]
    """Each role with at least one report, in the order of :class:`TrustRole`."""

    @property
    def total(self) -> int:
        """Every report of the period."""
        return self.trusted.reports + self.public.reports

    @property
    def trusted_share(self) -> float | None:
        """The share of reports from trusted reporters; None without reports."""
        return self.trusted.reports / self.total if self.total else None


def trust_share(facts: Iterable[TrustFact], period: Period) -> TrustShare:
    """Count the period's reports (facts outside it are ignored)."""
    start, end = period.start.astimezone(UTC), period.end.astimezone(UTC)
    trusted, public = Tally(), Tally()
    roles: dict[TrustRole, Tally] = {}
    for fact in facts:
        if not start <= fact.submitted_at < end:
            continue
        if fact.role is None:
            public = public.add(fact)
            continue
        trusted = trusted.add(fact)
        role = TrustRole(fact.role)
        roles[role] = roles.get(role, Tally()).add(fact)
    return TrustShare(
        trusted=trusted,
        public=public,
        by_role=tuple((role, roles[role]) for role in TrustRole if role in roles),
    )
