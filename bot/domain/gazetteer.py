"""Offline gazetteer: typed place words → kecamatan, kelurahan or landmark.

Pure domain module (no Telegram, no SQL, no network). Names come from ``bot/data``: the
16 kecamatan (with spelling variants), the 177 kelurahan and the landmarks in
``landmarks.json`` (with hand-added aliases).

Matching (rapidfuzz):

1. Both the query and every name are *normalised*: lower case, accents and punctuation
   removed, spacing collapsed, Indonesian abbreviations expanded token by token
   (``kel``/``kel.`` → kelurahan, ``kec`` → kecamatan, ``jl``/``jln`` → jalan,
   ``smg`` → semarang, ``smpg``/``sp``/``simp`` → simpang, ``rs`` → rumah sakit,
   ``st``/``sta``/``stas``/``stsn`` → stasiun, ``tg``/``tj`` → tanjung, ``pel`` → pelabuhan,
   ``mesjid`` → masjid, ``univ`` → universitas, digits ``5`` → lima ...).
2. The words ``kelurahan`` / ``desa`` / ``kecamatan`` are removed from the query and
   say which kind of place is wanted (a small bonus for that kind).
3. Each name is scored against the whole query (``fuzz.ratio`` on the space-free form,
   so ``simpanglima`` = ``simpang lima``, and ``fuzz.token_sort_ratio``), against runs of
   the query's words (``kebakaran dekat lawang sewu`` finds Lawang Sewu, minus a small
   penalty per extra word) and, for short queries, against runs of the name's words
   (``srondol`` finds Srondol Kulon and Srondol Wetan, minus a penalty per missing word).
4. A kelurahan or landmark whose kecamatan is also named in the query gets a bonus, its
   own name being scored without the kecamatan's words.
5. Results below :data:`MIN_SCORE` are dropped, so garbage (``asdfgh``, ``!!!``, empty)
   gives ``[]``. One result per place (its best name), best first; ties prefer
   kecamatan, then landmark, then kelurahan.

Kelurahan names that occur in two kecamatan (Purwosari: Semarang Utara and Mijen;
Mangunharjo: Tembalang and Tugu) are both returned; :attr:`PlaceMatch.label`
("Kel. Purwosari, Kec. Mijen") tells them apart, and naming the kecamatan in the query
("purwosari mijen", "kel. purwosari kec. mijen") ranks the right one first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz

from bot.domain.geo import CityMap

MIN_SCORE = 85.0
"""Matches scoring below this (0–100) are not returned."""

_EXTRA_WORD_PENALTY = 3.0  # per query word outside the matched run of words
_EXTRA_WORD_PENALTY_MAX = 12.0
_MISSING_WORD_PENALTY = 5.0  # per name word the query does not mention
_MISSING_WORD_PENALTY_MAX = 10.0
_KIND_PENALTY = 4.0  # the query says "kel." (or "kec.") and this is another kind of place
_CONTEXT_MIN_RATIO = 90.0  # how well the kecamatan must be named for the context bonus
_MIN_PARTIAL_CHARS = 4  # shorter names / queries only match whole


class PlaceKind(StrEnum):
    """What a gazetteer entry is."""

    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    LANDMARK = "landmark"


_KIND_ORDER = {PlaceKind.KECAMATAN: 0, PlaceKind.LANDMARK: 1, PlaceKind.KELURAHAN: 2}


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """One search result.

    ``lat``/``lon`` are a representative point: the centroid for a kelurahan (or a point
    on its surface when the centroid falls outside), the centroid for a kecamatan, and
    the landmark's coordinates (see ``coord_quality``) for a landmark.
    """

    name: str
    kind: PlaceKind
    lat: float
    lon: float
    kecamatan: str | None
    """Kecamatan name; None only for a landmark outside every kecamatan."""
    score: float
    """0–100, higher is better."""
    label: str
    """Unambiguous display text: ``Kel. Pleburan, Kec. Semarang Selatan``."""
    code: str | None = None
    """Kemendagri code for a kecamatan / kelurahan; None for a landmark."""
    matched: str = ""
    """The name or alias that matched."""
    coord_quality: str | None = None
    """For landmarks: how good the coordinates are, as given by the source data."""


# --------------------------------------------------------------------------- normalising

_ABBREVIATIONS: dict[str, str] = {
    "kel": "kelurahan",
    "kelr": "kelurahan",
    "kec": "kecamatan",
    "kcm": "kecamatan",
    "ds": "desa",
    "jl": "jalan",
    "jln": "jalan",
    "jlan": "jalan",
    "smg": "semarang",
    "smrg": "semarang",
    "smpg": "simpang",
    "smpng": "simpang",
    "simp": "simpang",
    "sp": "simpang",
    "spg": "simpang",
    "rs": "rumah sakit",
    "rsu": "rumah sakit umum",
    "rsud": "rumah sakit umum daerah",
    "rsup": "rumah sakit umum pusat",
    "st": "stasiun",
    "sta": "stasiun",
    "stas": "stasiun",
    "stsn": "stasiun",
    "stasion": "stasiun",
    "tg": "tanjung",
    "tj": "tanjung",
    "tjg": "tanjung",
    "pel": "pelabuhan",
    "plb": "pelabuhan",
    "univ": "universitas",
    "mesjid": "masjid",
    "msjd": "masjid",
    "lap": "lapangan",
    "lpg": "lapangan",
    "gg": "gang",
    "kab": "kabupaten",
    "prov": "provinsi",
    "jateng": "jawa tengah",
    "dr": "dokter",
    "5": "lima",
}
"""Token → expansion. Applied to queries and to names alike."""

_KIND_WORDS: dict[str, PlaceKind] = {
    "kelurahan": PlaceKind.KELURAHAN,
    "desa": PlaceKind.KELURAHAN,
    "kecamatan": PlaceKind.KECAMATAN,
}
"""Words dropped from the query because they only say what kind of place is meant."""

_GENERIC_WORDS = frozenset(
    "semarang kota jalan rumah sakit umum pusat daerah dokter stasiun pelabuhan masjid "
    "gereja klenteng vihara pagoda universitas kampus kantor lapangan simpang pasar "
    "agung jawa tengah utara selatan barat timur kulon wetan lor kidul".split()
)
"""Words too common to find a place on their own: a query made only of these must
match a whole name (``semarang`` alone does not list every Semarang X)."""

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Lower case, strip accents and punctuation, collapse spacing, expand abbreviations.

    ``"Kel. Pleburan"`` → ``"kelurahan pleburan"``; ``"SMPG-Lima!!"`` → ``"simpang lima"``.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("'", "").replace("’", "")
    words = _NON_WORD.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def _parse_query(query: str) -> tuple[list[str], PlaceKind | None]:
    """Words of the query without kind words, and the kind of place asked for.

    ``kel. X kec. Y`` asks for a kelurahan (the kecamatan is context), ``kec. Y`` for a
    kecamatan.
    """
    words = normalize(query).split()
    kinds = {_KIND_WORDS[w] for w in words if w in _KIND_WORDS}
    kind = PlaceKind.KELURAHAN if PlaceKind.KELURAHAN in kinds else next(iter(kinds), None)
    return [w for w in words if w not in _KIND_WORDS], kind


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True, slots=True)
class _Entry:
    place: PlaceMatch  # score 0; the result is a copy with the score set
    names: tuple[tuple[str, str], ...]  # (original name, normalised name)


def _runs(words: Sequence[str], size: int) -> list[tuple[int, str]]:
    """Every run of ``size`` consecutive words, space-free, with its start index."""
    return [(i, "".join(words[i : i + size])) for i in range(len(words) - size + 1)]


def _score_name(words: Sequence[str], name: str) -> float:
    """Score one normalised name against the query words (0–100).

    The best of: the whole query against the whole name (space-free ``fuzz.ratio`` and
    ``fuzz.token_sort_ratio``); a run of query words against the name (extra query words
    cost :data:`_EXTRA_WORD_PENALTY` each); the whole query against a run of the name's
    words (missing name words cost :data:`_MISSING_WORD_PENALTY` each, so ``srondol``
    finds Srondol Kulon and Srondol Wetan).
    """
    name_words = name.split()
    name_c = "".join(name_words)
    query_c = "".join(words)
    best = float(max(fuzz.ratio(query_c, name_c), fuzz.token_sort_ratio(" ".join(words), name)))
    if len(name_c) >= _MIN_PARTIAL_CHARS and len(words) > 1:
        # The query says more than the name: "kebakaran dekat lawang sewu". Runs one word
        # shorter or longer than the name catch "lawangsewu" / "simpang lima" splits.
        n = len(name_words)
        for size in {max(1, n - 1), n, n + 1}:
            if size >= len(words):
                continue
            penalty = min(_EXTRA_WORD_PENALTY_MAX, _EXTRA_WORD_PENALTY * (len(words) - size))
            for _, run in _runs(words, size):
                best = max(best, fuzz.ratio(run, name_c) - penalty)
    if (
        len(query_c) >= _MIN_PARTIAL_CHARS
        and len(words) < len(name_words)
        and not all(w in _GENERIC_WORDS for w in words)
    ):
        # The name says more than the query: "srondol" → "srondol kulon".
        missing = len(name_words) - len(words)
        penalty = min(_MISSING_WORD_PENALTY_MAX, _MISSING_WORD_PENALTY * missing)
        for _, run in _runs(name_words, len(words)):
            best = max(best, fuzz.ratio(run, query_c) - penalty)
    return best


def _mentioned_span(words: Sequence[str], name: str) -> tuple[int, int] | None:
    """Where (start, end) the query words name ``name`` well enough, if they do."""
    name_words = name.split()
    name_c = "".join(name_words)
    best: tuple[float, int, int] | None = None
    for size in {len(name_words), 1, len(name_words) + 1}:
        if size > len(words):
            continue
        for start, run in _runs(words, size):
            r = float(fuzz.ratio(run, name_c))
            if r >= _CONTEXT_MIN_RATIO and (best is None or r > best[0]):
                best = (r, start, start + size)
    return (best[1], best[2]) if best else None


class Gazetteer:
    """Search kecamatan, kelurahan and landmarks by typed words. Use :meth:`load`."""

    def __init__(self, entries: Iterable[_Entry]) -> None:
        self._entries = tuple(entries)

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer built from ``bot/data`` (built once, then cached)."""
        return _load_default()

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str, limit: int = 5) -> list[PlaceMatch]:
        """Places matching ``query``, best first, at most ``limit``; ``[]`` when nothing
        scores at least :data:`MIN_SCORE` (garbage, empty or punctuation-only input)."""
        if limit <= 0:
            return []
        words, kind = _parse_query(query[:200])
        if not any(c.isalpha() for c in "".join(words)):
            return []
        # Kecamatan named in the query, with the words that name them: context for
        # kelurahan ("purwosari mijen", "kel. purwosari, kec. mijen").
        context: dict[str, tuple[int, int]] = {}
        for entry in self._entries:
            if entry.place.kind is PlaceKind.KECAMATAN:
                for _, norm in entry.names:
                    span = _mentioned_span(words, norm)
                    if span is not None and span[1] - span[0] < len(words):
                        context.setdefault(entry.place.name, span)
        scored: list[tuple[float, PlaceMatch]] = []
        for entry in self._entries:
            place = entry.place
            score, matched = 0.0, ""
            for original, norm in entry.names:
                s = _score_name(words, norm)
                if s > score:
                    score, matched = s, original
            span = context.get(place.kecamatan or "")
            if place.kind is not PlaceKind.KECAMATAN and span is not None:
                # The kecamatan's words are context, not extra words.
                rest = words[: span[0]] + words[span[1] :]
                for original, norm in entry.names:
                    s = _score_name(rest, norm)
                    if s > score:
                        score, matched = s, original
            if kind is not None and place.kind is not kind:
                score -= _KIND_PENALTY
            if score >= MIN_SCORE:
                scored.append((score, _with_score(place, score, matched)))
        scored.sort(key=lambda item: (-item[0], _KIND_ORDER[item[1].kind], item[1].label))
        return [m for _, m in scored[:limit]]


def _with_score(place: PlaceMatch, score: float, matched: str) -> PlaceMatch:
    return PlaceMatch(
        name=place.name,
        kind=place.kind,
        lat=place.lat,
        lon=place.lon,
        kecamatan=place.kecamatan,
        score=round(min(100.0, score), 1),
        label=place.label,
        code=place.code,
        matched=matched,
        coord_quality=place.coord_quality,
    )


def _names(*names: str) -> tuple[tuple[str, str], ...]:
    seen: dict[str, str] = {}
    for n in names:
        norm = normalize(n)
        if norm and norm not in seen:
            seen[norm] = n
    return tuple((orig, norm) for norm, orig in seen.items())


def _read_landmarks() -> list[dict[str, Any]]:
    text = resources.files("bot.data").joinpath("landmarks.json").read_text(encoding="utf-8")
    landmarks: list[dict[str, Any]] = json.loads(text)["landmarks"]
    return landmarks


def _build_entries(city: CityMap, landmarks: Iterable[dict[str, Any]]) -> list[_Entry]:
    """Gazetteer entries for the map's kecamatan and kelurahan and the given landmarks
    (dicts with ``name``, ``aliases``, ``lat``, ``lon``, ``coord_quality``)."""
    entries: list[_Entry] = []
    for kec in city.kecamatan_list():
        entries.append(
            _Entry(
                PlaceMatch(
                    name=kec.name,
                    kind=PlaceKind.KECAMATAN,
                    lat=kec.centroid.lat,
                    lon=kec.centroid.lon,
                    kecamatan=kec.name,
                    score=0.0,
                    label=kec.label,
                    code=kec.code,
                    matched=kec.name,
                ),
                _names(kec.name, *kec.aliases),
            )
        )
        for kel in kec.kelurahan:
            entries.append(
                _Entry(
                    PlaceMatch(
                        name=kel.name,
                        kind=PlaceKind.KELURAHAN,
                        lat=kel.centroid.lat,
                        lon=kel.centroid.lon,
                        kecamatan=kec.name,
                        score=0.0,
                        label=kel.label,
                        code=kel.code,
                        matched=kel.name,
                    ),
                    _names(kel.name),
                )
            )
    for lm in landmarks:
        placement = city.locate(float(lm["lat"]), float(lm["lon"]))
        kec_name = placement.kecamatan.name if placement.kecamatan else None
        where = placement.address
        entries.append(
            _Entry(
                PlaceMatch(
                    name=lm["name"],
                    kind=PlaceKind.LANDMARK,
                    lat=float(lm["lat"]),
                    lon=float(lm["lon"]),
                    kecamatan=kec_name,
                    score=0.0,
                    label=f"{lm['name']} ({where})" if where else lm["name"],
                    code=None,
                    matched=lm["name"],
                    coord_quality=lm.get("coord_quality"),
                ),
                _names(lm["name"], *lm.get("aliases", ())),
            )
        )
    return entries


@cache
def _load_default() -> Gazetteer:
    return Gazetteer(_build_entries(CityMap.load(), _read_landmarks()))


def search(query: str, limit: int = 5) -> list[PlaceMatch]:
    """:meth:`Gazetteer.search` on the default gazetteer."""
    return Gazetteer.load().search(query, limit)
