"""Command-center statistics: periods, KPIs and their formatting in the city's own terms.

Pure domain module: no Telegram, no SQL, no clock. The storage layer
(``storage/stats.py``) turns report rows into :class:`ReportFact` values; everything here
is computed from those.

Which reports count
-------------------
A report belongs to a period by ``submitted_at`` (the reporter pressed Send), taken in
the city's zone (WIB): "hari" is today from 00:00 WIB, "minggu" the last 7 local days
including today, "bulan" the current calendar month. Every statistic counts all reports
of the period, open or closed.

Measures
--------
* **Claim time** ``t1 - t0`` (card delivered → a dispatcher claimed it) and **response
  time** ``t4 - t0`` (card delivered → an officer on scene, the city's KPI). Reports that
  did not reach that milestone have no value and are left out of these measures.
* **Median and 90th percentile** use linear interpolation between the closest ranks
  (Hyndman & Fan type 7, the default of NumPy and Excel's ``PERCENTILE.INC``): for the
  sorted values ``x[0] … x[n-1]`` and ``h = (n - 1) · p``, the percentile is
  ``x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋+1] − x[⌊h⌋])``. For p = 0.5 this is the usual median
  (the mean of the two middle values when n is even). ``h`` is computed exactly (with
  fractions), so hand-computed answers match. With no values the result is ``None`` and
  the texts say "no data".
* **Within target**: the share of reports *with a response time* whose response time is
  at most the target (10 minutes by default; a response of exactly 10:00 counts as met).
* **Prank share**: reports closed as ``prank`` over all reports of the group.
* **Ratings**: the reporters' 1–5 stars of the period's reports: count and average.

Groups: by category, kecamatan (``OUTSIDE_CITY`` for pins outside Kota Semarang,
``UNKNOWN`` when no kecamatan is known), primary agency (``NOT_DISPATCHED`` before a
dispatch) and disposition (``STILL_OPEN`` before closing). The reports outside the city
are grouped again by the kabupaten/kota of Java they came from (``BEYOND_JAVA`` off Java,
``UNKNOWN`` when not known, e.g. reports stored before regions were recorded).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.domain.lifecycle import RESPONSE_TARGET, Disposition
from bot.domain.models import Language

_PRANK: Final = Disposition.PRANK.value
OUTSIDE_CITY: Final = "__outside__"
BEYOND_JAVA: Final = "__beyond_java__"
UNKNOWN: Final = "__unknown__"
NOT_DISPATCHED: Final = "__none__"
STILL_OPEN: Final = "__open__"

PeriodKind = Literal["day", "week", "month", "range"]

_PERIOD_WORDS: Final[Mapping[str, PeriodKind]] = {
    "hari": "day",
    "harian": "day",
    "today": "day",
    "day": "day",
    "minggu": "week",
    "pekan": "week",
    "mingguan": "week",
    "week": "week",
    "bulan": "month",
    "bulanan": "month",
    "month": "month",
}


def parse_period_word(word: str) -> PeriodKind | None:
    """``hari``/``minggu``/``bulan`` (or day/week/month) → the period kind, else None."""
    return _PERIOD_WORDS.get(word.strip().lower())


# ------------------------------------------------------------------------------------ periods


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """00:00 of a local day, as an aware datetime in ``tz``."""
    return datetime.combine(day, time(0), tzinfo=tz)


@dataclass(frozen=True, slots=True)
class Period:
    """Local days ``first_day … last_day`` (inclusive) in zone ``tz``."""

    kind: PeriodKind
    first_day: date
    last_day: date
    tz: tzinfo

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise ValueError("a period ends on or after its first day")

    @property
    def start(self) -> datetime:
        """Inclusive start (local midnight of the first day)."""
        return local_midnight(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        """Exclusive end (local midnight after the last day)."""
        return local_midnight(self.last_day + timedelta(days=1), self.tz)

    @property
    def days(self) -> list[date]:
        """Every local day of the period."""
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(n)]

    def contains(self, moment: datetime) -> bool:
        """True if ``moment`` falls inside the period."""
        return self.start <= moment < self.end

    def label(self, lang: Language) -> str:
        """E.g. "Februari 2025", "Jumat, 14 Februari 2025" or "1–7 Maret 2026"."""
        if self.kind == "month":
            return month_label(self.first_day, lang)
        if self.first_day == self.last_day:
            return day_label(self.first_day, lang)
        a = format_date(self.first_day, "d MMMM yyyy", locale=lang)
        b = format_date(self.last_day, "d MMMM yyyy", locale=lang)
        return f"{a} – {b}"

    @property
    def slug(self) -> str:
        """For file names: ``2025-02-01_2025-02-28``."""
        return f"{self.first_day.isoformat()}_{self.last_day.isoformat()}"


def day_period(day: date, tz: tzinfo) -> Period:
    """One local day."""
    return Period("day", day, day, tz)


def month_period(year: int, month: int, tz: tzinfo) -> Period:
    """One calendar month."""
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return Period("month", first, nxt - timedelta(days=1), tz)


def range_period(first_day: date, last_day: date, tz: tzinfo) -> Period:
    """Local days ``first_day … last_day`` inclusive (exports)."""
    return Period("range", first_day, last_day, tz)


def period_for(kind: PeriodKind, now: datetime, tz: tzinfo) -> Period:
    """The period a dispatcher asks for: today, the last 7 days, or this month."""
    today = now.astimezone(tz).date()
    if kind == "day":
        return day_period(today, tz)
    if kind == "week":
        return Period("week", today - timedelta(days=6), today, tz)
    if kind == "month":
        return month_period(today.year, today.month, tz)
    raise ValueError(f"no default period for {kind!r}")


# -------------------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class ReportFact:
    """What the statistics need of one report."""

    submitted_at: datetime
    category: str
    kecamatan: str | None = None
    outside_city: bool = False
    agency: str | None = None
    disposition: str | None = None
    claim_s: float | None = None
    """t1 − t0 in seconds."""
    response_s: float | None = None
    """t4 − t0 in seconds."""
    rating: int | None = None
    region: str | None = None
    """Outside the city: the kabupaten/kota ("Kabupaten Kendal")."""
    beyond_java: bool = False

    @property
    def area(self) -> str:
        """The kecamatan group key."""
        if self.outside_city:
            return OUTSIDE_CITY
        return self.kecamatan or UNKNOWN

    @property
    def region_key(self) -> str:
        """The "luar kota" group key: the kabupaten/kota, off Java, or unknown."""
        if self.region:
            return self.region
        return BEYOND_JAVA if self.beyond_java else UNKNOWN

    @property
    def agency_key(self) -> str:
        return self.agency or NOT_DISPATCHED


# ------------------------------------------------------------------------------- percentiles


def percentile(
    values: Iterable[float], p: float | Fraction, *, presorted: bool = False
) -> float | None:
    """The p-quantile (0 ≤ p ≤ 1) by linear interpolation (type 7); None without values."""
    xs = values if presorted and isinstance(values, Sequence) else sorted(values)
    if not xs:
        return None
    frac_p = Fraction(p) if not isinstance(p, float) else Fraction(str(p))
    if not 0 <= frac_p <= 1:
        raise ValueError("p must be between 0 and 1")
    h = (len(xs) - 1) * frac_p
    lo = math.floor(h)
    rest = h - lo
    if rest == 0 or lo + 1 >= len(xs):
        return xs[lo]
    # Exact arithmetic, one rounding at the end: hand-computed answers match.
    a, b = Fraction(xs[lo]), Fraction(xs[lo + 1])
    return float(a + rest * (b - a))


def median(values: Iterable[float]) -> float | None:
    """The median (type-7 percentile at 0.5)."""
    return percentile(values, Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class Distribution:
    """Count, median and 90th percentile of a duration in seconds."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Iterable[float]) -> Distribution:
        xs = sorted(values)
        return cls(
            len(xs),
            percentile(xs, Fraction(1, 2), presorted=True),
            percentile(xs, Fraction(9, 10), presorted=True),
        )


@dataclass(frozen=True, slots=True)
class GroupStats:
    """The measures of one group of reports (or of all of them)."""

    key: str
    reports: int
    pranks: int
    claim: Distribution
    response: Distribution
    within_target: int
    """Reports whose response time is at most the target."""

    @property
    def prank_share(self) -> float | None:
        return self.pranks / self.reports if self.reports else None

    @property
    def within_target_share(self) -> float | None:
        """Share of reports with a response time that met the target; None without any."""
        return self.within_target / self.response.count if self.response.count else None


def group_stats(key: str, facts: Sequence[ReportFact], target_s: float) -> GroupStats:
    """The measures of a list of reports."""
    claims = [f.claim_s for f in facts if f.claim_s is not None]
    responses = [f.response_s for f in facts if f.response_s is not None]
    return GroupStats(
        key=key,
        reports=len(facts),
        pranks=sum(1 for f in facts if f.disposition == _PRANK),
        claim=Distribution.of(claims),
        response=Distribution.of(responses),
        within_target=sum(1 for r in responses if r <= target_s),
    )


@dataclass(frozen=True, slots=True)
class Statistics:
    """Everything ``/statistik`` and the summaries show for one period."""

    period: Period
    target_s: float
    overall: GroupStats
    by_category: tuple[GroupStats, ...]
    by_kecamatan: tuple[GroupStats, ...]
    by_agency: tuple[GroupStats, ...]
    by_disposition: tuple[GroupStats, ...]
    ratings: int
    rating_sum: int
    response_values: tuple[float, ...] = field(repr=False)
    by_region: tuple[GroupStats, ...] = ()
    """The reports outside the city, by kabupaten/kota (see :attr:`ReportFact.region_key`)."""

    @property
    def rating_average(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None

    def group(self, dimension: str, key: str) -> GroupStats | None:
        """One group by dimension name (category, kecamatan, region, agency, disposition)."""
        groups: tuple[GroupStats, ...] = getattr(self, "by_" + dimension)
        return next((g for g in groups if g.key == key), None)


def _grouped(
    facts: Sequence[ReportFact], key_of: Callable[[ReportFact], str], target_s: float
) -> tuple[GroupStats, ...]:
    buckets: dict[str, list[ReportFact]] = defaultdict(list)
    for fact in facts:
        buckets[key_of(fact)].append(fact)
    groups = [group_stats(k, v, target_s) for k, v in buckets.items()]
    # Most reports first; ties by key (special keys last), never by the input order.
    return tuple(sorted(groups, key=lambda g: (-g.reports, g.key.startswith("__"), g.key)))


def compute(
    facts: Sequence[ReportFact], period: Period, target: timedelta = RESPONSE_TARGET
) -> Statistics:
    """All measures of the period's reports (facts outside the period are ignored)."""
    # In UTC: comparing datetimes that share a tzinfo skips per-row offset lookups.
    start, end = period.start.astimezone(UTC), period.end.astimezone(UTC)
    inside = [f for f in facts if start <= f.submitted_at < end]
    target_s = target.total_seconds()
    ratings = [f.rating for f in inside if f.rating is not None]
    return Statistics(
        period=period,
        target_s=target_s,
        overall=group_stats("all", inside, target_s),
        by_category=_grouped(inside, lambda f: f.category, target_s),
        by_kecamatan=_grouped(inside, lambda f: f.area, target_s),
        by_agency=_grouped(inside, lambda f: f.agency or NOT_DISPATCHED, target_s),
        by_disposition=_grouped(inside, lambda f: f.disposition or STILL_OPEN, target_s),
        ratings=len(ratings),
        rating_sum=sum(ratings),
        response_values=tuple(f.response_s for f in inside if f.response_s is not None),
        by_region=_grouped([f for f in inside if f.outside_city], lambda f: f.region_key, target_s),
    )


@dataclass(frozen=True, slots=True)
class Activity:
    """Reports per time bucket by category (the stacked-bar chart): hours of a single day,
    days otherwise. ``counts[category][i]`` is the count in bucket ``labels[i]``."""

    unit: Literal["hour", "day"]
    labels: tuple[str, ...]
    counts: Mapping[str, tuple[int, ...]]

    @property
    def total(self) -> int:
        return sum(sum(c) for c in self.counts.values())


def activity(facts: Iterable[ReportFact], period: Period) -> Activity:
    """Bucket the period's reports by local hour (one day) or local day (longer)."""
    tz = period.tz
    start, end = period.start.astimezone(UTC), period.end.astimezone(UTC)
    # A zone with one UTC offset over the period (WIB has no daylight saving): buckets by
    # arithmetic; otherwise through local time.
    fixed = period.start.utcoffset() == period.end.utcoffset()
    per: dict[str, list[int]] = {}
    if period.first_day == period.last_day:
        labels = tuple(f"{h:02d}" for h in range(24))
        size = timedelta(hours=1)

        def slow(moment: datetime) -> int:
            return moment.astimezone(tz).hour

        unit: Literal["hour", "day"] = "hour"
    else:
        labels = tuple(f"{d:%d/%m}" for d in period.days)
        size = timedelta(days=1)

        def slow(moment: datetime) -> int:
            return (moment.astimezone(tz).date() - period.first_day).days

        unit = "day"

    def index(moment: datetime) -> int:
        return (moment - start) // size if fixed else slow(moment)

    for fact in facts:
        if not start <= fact.submitted_at < end:
            continue
        row = per.setdefault(fact.category, [0] * len(labels))
        row[index(fact.submitted_at)] += 1
    return Activity(unit, labels, {k: tuple(v) for k, v in sorted(per.items())})


# --------------------------------------------------------------------------------- formatting


def fmt_int(n: int, lang: Language) -> str:
    """1308 → "1.308" (id) / "1,308" (en)."""
    return format_decimal(n, locale=lang)


def fmt_number(x: float, lang: Language, decimals: int = 1) -> str:
    """4.25 → "4,3" (id) / "4.3" (en); rounds half away from zero."""
    rounded = Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP")
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(rounded, format=pattern, locale=lang)


def fmt_share(share: float | None, lang: Language) -> str:
    """0.8234 → "82,3%" (id) / "82.3%" (en); None → "–"."""
    if share is None:
        return "–"
    return fmt_number(share * 100, lang) + "%"


def fmt_duration(seconds: float | None, lang: Language) -> str:
    """450 → "7 mnt 30 dtk" / "7 min 30 s"; rounded to whole seconds; None → "–"."""
    if seconds is None:
        return "–"
    total = int(Decimal(str(seconds)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    units = ("j", "mnt", "dtk") if lang == "id" else ("h", "min", "s")
    parts = []
    if hours:
        parts.append(f"{hours} {units[0]}")
    if minutes or hours:
        parts.append(f"{minutes} {units[1]}")
    if secs or not parts:
        parts.append(f"{secs} {units[2]}")
    return " ".join(parts)


def month_label(day: date, lang: Language) -> str:
    """ "Februari 2025" / "February 2025"."""
    return format_date(day, "LLLL yyyy", locale=lang)


def day_label(day: date, lang: Language) -> str:
    """ "Jumat, 14 Februari 2025" / "Friday, 14 February 2025"."""
    return format_date(day, "EEEE, d MMMM yyyy", locale=lang)
