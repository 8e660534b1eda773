"""Rendering: escaping, Telegram's length limit, the dispatch card."""

from zoneinfo import ZoneInfo

from bot.domain.categories import Category
from bot.domain.models import LocationSource, Report
from handlers.views.card_text import STATUS_BUDGET, report_block
from handlers.views.render import (
    MAX_MESSAGE,
    draft_summary,
    split_for_telegram,
    utf16_len,
    visible_len,
)
from tests.support import factories as f

WIB = ZoneInfo("Asia/Jakarta")


def make_report(**over: object) -> Report:
    values: dict[str, object] = {
        "id": 1,
        "ticket": "SMG-260327-0001",
        "reporter_id": 1001,
        "chat_id": 1001,
        "language": "id",
        "category": Category.TRAFFIC_ACCIDENT,
        "state": "submitted",
        "location": f.location(accuracy_m=35),
        "details": "Motor jatuh",
        "phone": "+6281234567890",
        "submitted_at": f.at(7, 45),
    }
    values.update(over)
    return Report.model_validate(values)


def test_card_shows_ticket_category_wib_time_location_and_reporter() -> None:
    card, more = report_block(make_report(), f.reporter(), "id", WIB, "Satlantas")
    assert more == []
    assert "SMG-260327-0001" in card
    assert "Kecelakaan" in card and "Satlantas" in card
    assert "27/03/2026 14:45 WIB" in card  # 07:45 UTC
    assert "-6.990460, 110.422850" in card and "±35 m" in card
    assert "google.com/maps" in card and "openstreetmap.org" in card
    assert 'href="tg://user?id=1001"' in card and "@budi_smg" in card
    assert "+6281234567890" in card


def test_user_text_is_escaped_everywhere() -> None:
    evil = f.reporter(first_name="<b>Jon</b>", last_name="&amp;", username="a_b")
    report = make_report(
        details='<b>api</b> & "asap"',
        location=f.location(LocationSource.TYPED, text="<i>Jl.</i> Pemuda & Tugu"),
    )
    card, _ = report_block(report, evil, "id", WIB, None)
    assert '&lt;b&gt;api&lt;/b&gt; &amp; "asap"' in card
    assert "&lt;b&gt;Jon&lt;/b&gt; &amp;amp;" in card
    assert "&lt;i&gt;Jl.&lt;/i&gt; Pemuda &amp; Tugu" in card
    assert "<b>api</b>" not in card


def test_long_details_are_split_and_nothing_is_lost() -> None:
    details = ("Kebakaran <gudang> & asap " * 400)[:8000]
    card, more = report_block(make_report(details=details), f.reporter(), "id", WIB, None)
    assert visible_len(card) <= MAX_MESSAGE - STATUS_BUDGET  # room for the status block
    assert all(visible_len(m) <= MAX_MESSAGE for m in more)
    assert more
    import html
    import re

    def body(text: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", text))

    first = body(card).split("Keterangan:\n", 1)[1].split("… (bersambung")[0]
    rest = "".join(body(m).split("\n", 1)[1] for m in more)
    assert first + rest == details


def test_a_long_description_fits_in_the_card_when_possible() -> None:
    details = "x" * 2500
    card, more = report_block(make_report(details=details), f.reporter(), "id", WIB, None)
    assert more == [] and details in card and visible_len(card) <= MAX_MESSAGE - STATUS_BUDGET


def test_split_respects_utf16_units_and_word_ends() -> None:
    text = "🚑" * 3000  # each is two UTF-16 units
    pieces = split_for_telegram(text, 4096)
    assert "".join(pieces) == text
    assert all(utf16_len(p) <= 4096 for p in pieces)
    words = split_for_telegram("kata " * 2000, 100)
    assert all(p.endswith(" ") for p in words[:-1])


def test_summary_lists_every_part() -> None:
    d = f.draft(attachments=[f.photo(1), f.photo(2)])
    text = draft_summary(d, "en")
    assert "Traffic accident" in text and "2× Photo" in text and "+6281234567890" in text
