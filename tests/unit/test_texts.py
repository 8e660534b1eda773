"""The text catalogue: one table, every key in every language, the same placeholders in
each, no key defined twice, and every key the code builds from a name exists."""

from __future__ import annotations

import string
from typing import get_args

import pytest

from bot.domain.categories import Category
from bot.domain.lifecycle import Disposition, EventKind, ReportState
from bot.domain.models import AttachmentKind, Language, LocationSource, TrustRole
from bot.domain.trust import InvitationError
from bot.runtime.profile import COMMAND_NAMES, DISPATCH_COMMAND_NAMES
from bot.services.trust import Unchanged
from handlers.views.texts import (
    LANGUAGES,
    TEXTS,
    DuplicateTextError,
    Text,
    build,
    category_label,
    disposition_label,
    t,
)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_has_every_language_and_no_empty_text() -> None:
    assert set(LANGUAGES) == set(get_args(Language))
    for key, variants in TEXTS.items():
        assert set(variants) == set(LANGUAGES), key
        assert all(text.strip() for text in variants.values()), key


def test_every_placeholder_is_in_every_language() -> None:
    mismatched = {
        key: {lang: sorted(placeholders(text)) for lang, text in variants.items()}
        for key, variants in TEXTS.items()
        if len({frozenset(placeholders(text)) for text in variants.values()}) > 1
    }
    assert mismatched == {}


def test_a_key_defined_twice_fails_the_build() -> None:
    one = (Text("a", id="satu", en="one"),)
    other = (Text("b", id="dua", en="two"),)
    assert build(one, other) == {"a": {"id": "satu", "en": "one"}, "b": {"id": "dua", "en": "two"}}
    with pytest.raises(DuplicateTextError, match="'a'"):
        build(one, (Text("a", id="lain", en="other"),))  # across parts
    with pytest.raises(DuplicateTextError, match="'b'"):
        build((*other, Text("b", id="dua", en="two")))  # within one part, even if equal


@pytest.mark.parametrize(
    ("family", "names"),
    [
        ("category_", [c.value for c in Category]),
        ("disposition_", [d.value for d in Disposition]),
        ("notice_reason_", [d.value for d in Disposition]),
        ("ev_", [e.value for e in EventKind]),
        ("state_", [s.value for s in ReportState if s not in (ReportState.SUBMITTED,)]),
        ("export_state_", [s.value for s in ReportState if s is not ReportState.CLOSED]),
        ("source_", [s.value for s in LocationSource]),
        ("kind_", [k.value for k in AttachmentKind]),
        ("command_", list(COMMAND_NAMES)),
        ("dispatch_command_", list(DISPATCH_COMMAND_NAMES)),
        ("trust_role_", [r.value for r in TrustRole]),
        ("trust_error_", [e.value for e in InvitationError]),
        ("trust_", [u.value for u in Unchanged]),
    ],
)
def test_every_name_a_key_is_built_from_has_its_text(family: str, names: list[str]) -> None:
    assert [n for n in names if family + n not in TEXTS] == []


def test_each_disposition_has_one_name_everywhere() -> None:
    assert disposition_label("id", Disposition.RESOLVED) == "Selesai"
    assert disposition_label("id", "prank") == "Laporan iseng"
    assert disposition_label("en", Disposition.DUPLICATE, other="SMG-1") == "Duplicate of SMG-1"
    assert disposition_label("id", Disposition.DUPLICATE) == "Duplikat"
    assert disposition_label("id", Disposition.TRANSFERRED, target="LAPOR!") == (
        "Dialihkan ke LAPOR!"
    )
    assert disposition_label("id", "something_new") == "something_new"


def test_category_label_is_plain_text_and_unknown_keys_pass_through() -> None:
    assert category_label("id", Category.PUBLIC_ORDER) == "Keamanan & ketertiban"
    assert category_label("en", "fire") == "Fire"
    assert category_label("id", "not_a_category") == "not_a_category"


def test_t_fills_placeholders() -> None:
    assert "Ticket number: <code>SMG-1</code>\n" in t("en", "sent", ticket="SMG-1")
    assert t("id", "btn_report") == "📝 Buat laporan"
