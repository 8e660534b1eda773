"""End to end: at every step of the report flow, unexpected input gets a clear answer,
the step is asked again, and nothing the reporter already gave is lost."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
import pytest_asyncio

from bot.domain.models import Draft, Step
from emulator.driver import User
from storage import reports as store
from storage.drafts import load_draft
from tests.e2e.conftest import BACKENDS, settings_for
from tests.support import factories as f
from tests.support.harness import World, press_forged, world

pytestmark = pytest.mark.asyncio(loop_scope="module")

PROMPT = {
    Step.CATEGORY: "Langkah 1",
    Step.LOCATION: "Langkah 2",
    Step.DETAILS: "Langkah 3",
    Step.PHONE: "Langkah 4",
    Step.CONFIRM: "Periksa laporan",
}
_ids = itertools.count(1)


@pytest_asyncio.fixture(loop_scope="module", scope="module", params=BACKENDS)
async def w(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    on = settings_for(request, request.param)
    async with world(tmp_path_factory.mktemp("steps"), **on) as running:
        yield running


def fresh_reporter(w: World) -> User:
    n = next(_ids)
    return w.tg.user(f"Pelapor{n}", username=f"pelapor_{n}", language_code="id")


async def reach(w: World, step: Step) -> User:
    """A new reporter brought to ``step`` of a fresh draft."""
    r = fresh_reporter(w)
    await r.send("/lapor")
    ask = await w.tg.wait_for(r, lambda m: PROMPT[Step.CATEGORY] in m.text)
    if step is Step.CATEGORY:
        return r
    await r.press(ask, "Kebakaran")
    await w.tg.wait_for(r, lambda m: PROMPT[Step.LOCATION] in m.text)
    if step is Step.LOCATION:
        return r
    await r.send_location(*f.SIMPANG_LIMA)
    await w.tg.wait_for(r, lambda m: PROMPT[Step.DETAILS] in m.text)
    if step is Step.DETAILS:
        return r
    await r.send("Gudang terbakar")
    await w.tg.wait_for(r, lambda m: PROMPT[Step.PHONE] in m.text)
    if step is Step.PHONE:
        return r
    await r.send("0812 3456 7890")
    await w.tg.wait_for(r, lambda m: PROMPT[Step.CONFIRM] in m.text)
    return r


async def draft_of(w: World, r: User) -> Draft:
    assert w.runtime is not None and w.runtime.db is not None
    stored = await load_draft(w.runtime.db, r.id)
    assert stored is not None
    return stored.draft


Act = Callable[[User], Awaitable[object]]

UNUSABLE: list[tuple[str, Act, str]] = [
    ("sticker", lambda r: r.send_sticker(), "stiker tidak bisa dipakai"),
    ("poll", lambda r: r.send_poll("Siapa?", ["a", "b"]), "polling tidak bisa dipakai"),
    ("unknown command", lambda r: r.send("/hapus_semua"), "Perintah tidak dikenal"),
]


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize(("name", "act", "answer"), UNUSABLE, ids=[u[0] for u in UNUSABLE])
async def test_unusable_input_is_answered_and_the_step_asked_again(
    w: World, step: Step, name: str, act: Act, answer: str
) -> None:
    r = await reach(w, step)
    before = await draft_of(w, r)
    await act(r)
    reply = await w.next(r)
    while answer not in reply.text:  # the prompt may come in the same or the next message
        reply = await w.next(r)
    assert PROMPT[step] in reply.text or PROMPT[step] in (await w.next(r)).text
    after = await draft_of(w, r)
    assert after == before  # nothing changed, nothing lost


async def test_text_at_category_is_matched_or_reasked(w: World) -> None:
    r = await reach(w, Step.CATEGORY)
    await r.send("halo pak")
    reply = await w.tg.wait_for(r, lambda m: "teks tidak bisa dipakai" in m.text)
    assert PROMPT[Step.CATEGORY] in reply.text
    await r.send("kebakaran")
    await w.tg.wait_for(r, lambda m: PROMPT[Step.LOCATION] in m.text)
    assert (await draft_of(w, r)).category == "fire"


async def test_things_sent_early_are_kept_for_the_report(w: World) -> None:
    r = await reach(w, Step.CATEGORY)
    await r.send_photo(caption="asap dari atap")
    await w.tg.wait_for(r, lambda m: "Foto diterima" in m.text)
    await r.send_location(-6.98, 110.41)
    await w.tg.wait_for(r, lambda m: "Lokasi diterima" in m.text)
    await r.send_contact(phone_number="+62 812-1111-2222")
    await w.tg.wait_for(r, lambda m: "+6281211112222" in m.text)
    d = await draft_of(w, r)
    assert d.step is Step.CATEGORY
    assert len(d.attachments) == 1 and d.details == "asap dari atap"
    assert d.location is not None and d.location.lat == -6.98
    assert d.phone == "+6281211112222"


async def test_location_step_refuses_too_short_text_and_accepts_a_venue(w: World) -> None:
    r = await reach(w, Step.LOCATION)
    await r.send("ab")
    await w.tg.wait_for(r, lambda m: "Alamat terlalu singkat" in m.text)
    assert (await draft_of(w, r)).step is Step.LOCATION
    await r.send_voice()
    await w.tg.wait_for(r, lambda m: "Pesan suara diterima" in m.text)
    await r.send_venue(-6.9839, 110.4106, "Lawang Sewu", "Jl. Pemuda, Sekayu")
    await w.tg.wait_for(r, lambda m: PROMPT[Step.DETAILS] in m.text)
    d = await draft_of(w, r)
    assert d.location is not None and d.location.source == "venue"
    assert d.location.text == "Lawang Sewu\nJl. Pemuda, Sekayu"
    assert [a.kind for a in d.attachments] == ["voice"]


async def test_typed_place_is_confirmed_from_the_gazetteer(w: World) -> None:
    r = await reach(w, Step.LOCATION)
    await r.send("smpg lima depan masjid")
    offer = await w.tg.wait_for(r, lambda m: "Maksud Anda" in m.text)
    assert (await draft_of(w, r)).step is Step.LOCATION  # nothing is assumed
    await r.press(offer, "Simpang Lima")
    ack = await w.tg.wait_for(r, lambda m: "Lokasi diterima" in m.text)
    assert "Kec. Semarang Selatan" in ack.text
    await w.tg.wait_for(r, lambda m: PROMPT[Step.DETAILS] in m.text)
    d = await draft_of(w, r)
    assert d.location is not None and d.location.approximate and d.location.lat is not None
    assert d.location.text is not None and d.location.text.startswith("smpg lima depan masjid")
    assert d.location.kecamatan == "Semarang Selatan"


async def test_unknown_typed_place_falls_back_to_the_kecamatan_buttons(w: World) -> None:
    r = await reach(w, Step.LOCATION)
    await r.send("gang buntu belakang warung bu tini")
    pick = await w.tg.wait_for(r, lambda m: "Di kecamatan mana" in m.text)
    assert len([b for row in pick.inline_buttons for b in row]) == 17  # 16 + "don't know"
    await r.press(pick, "Tembalang")
    await w.tg.wait_for(r, lambda m: PROMPT[Step.DETAILS] in m.text)
    d = await draft_of(w, r)
    assert d.location is not None and d.location.kecamatan == "Tembalang"
    assert d.location.text == "gang buntu belakang warung bu tini" and d.location.lat is None


async def test_none_of_these_places_leads_to_the_kecamatan_buttons(w: World) -> None:
    r = await reach(w, Step.LOCATION)
    await r.send("tembalang dekat kampus")
    offer = await w.tg.wait_for(r, lambda m: "Maksud Anda" in m.text)
    await r.press(offer, "Bukan")
    pick = await w.tg.wait_for(r, lambda m: "Di kecamatan mana" in m.text)
    await r.press(pick, "Tidak tahu")
    await w.tg.wait_for(r, lambda m: PROMPT[Step.DETAILS] in m.text)
    d = await draft_of(w, r)
    assert d.location is not None and d.location.kecamatan is None
    assert d.location.text == "tembalang dekat kampus"


async def test_a_pin_outside_the_city_tells_the_traveller_and_is_kept(w: World) -> None:
    r = await reach(w, Step.LOCATION)
    await r.send_location(-7.1390, 110.4070)  # Ungaran, Kabupaten Semarang
    note = await w.tg.wait_for(r, lambda m: "di luar Kota Semarang" in m.text)
    assert "112" in note.text and PROMPT[Step.DETAILS] in note.text
    d = await draft_of(w, r)
    assert d.location is not None and d.location.outside_city
    assert d.location.distance_outside_m is not None and d.location.distance_outside_m > 300


async def test_a_pin_shows_its_kelurahan_and_kecamatan(w: World) -> None:
    r = await reach(w, Step.LOCATION)
    await r.send_location(*f.SIMPANG_LIMA)
    ack = await w.tg.wait_for(r, lambda m: "Lokasi diterima" in m.text)
    assert "Kel. Pleburan, Kec. Semarang Selatan" in ack.text and "luar Kota" not in ack.text


async def test_a_pin_just_outside_the_line_snaps_to_the_city(w: World) -> None:
    r = await reach(w, Step.LOCATION)
    await r.send_location(-6.943, 110.42)  # the port basin, ~160 m beyond the outline
    ack = await w.tg.wait_for(r, lambda m: "Lokasi diterima" in m.text)
    assert "Kec. Semarang Utara" in ack.text and "luar Kota" not in ack.text
    d = await draft_of(w, r)
    assert d.location is not None and not d.location.outside_city


async def test_details_collects_photos_then_continues(w: World) -> None:
    r = await reach(w, Step.DETAILS)
    await r.send_photo()
    ack = await w.tg.wait_for(r, lambda m: "Foto diterima (1)" in m.text)
    assert any("Lanjut" in b.text for row in ack.reply_keyboard for b in row)
    await r.send_photo(caption="dua")
    await w.tg.wait_for(r, lambda m: "Foto diterima (2)" in m.text)
    await r.tap("➡️ Lanjut")
    await w.tg.wait_for(r, lambda m: PROMPT[Step.PHONE] in m.text)
    d = await draft_of(w, r)
    assert len(d.attachments) == 2 and d.details == "dua"


async def test_phone_step_validates_numbers(w: World) -> None:
    r = await reach(w, Step.PHONE)
    await r.send("nomor saya rahasia")
    await w.tg.wait_for(r, lambda m: "Nomor itu tidak valid" in m.text)
    assert (await draft_of(w, r)).step is Step.PHONE
    await r.tap("📞 Bagikan nomor saya")
    summary = await w.tg.wait_for(r, lambda m: PROMPT[Step.CONFIRM] in m.text)
    assert "+628123456789" in summary.text or "+62" in summary.text


async def test_words_at_the_summary_are_added_to_the_details(w: World) -> None:
    r = await reach(w, Step.CONFIRM)
    await r.send("Ada dua orang terjebak di lantai 2")
    summary = await w.tg.wait_for(
        r, lambda m: "terjebak" in m.text and PROMPT[Step.CONFIRM] in m.text
    )
    assert "Gudang terbakar" in summary.text
    assert (await draft_of(w, r)).details == "Gudang terbakar\nAda dua orang terjebak di lantai 2"


@pytest.mark.parametrize("step", list(Step))
async def test_cancel_at_every_step_drops_the_draft(w: World, step: Step) -> None:
    r = await reach(w, step)
    await r.send("/batal")
    bye = await w.tg.wait_for(r, lambda m: "Laporan dibatalkan" in m.text)
    assert bye.reply_keyboard[0][0].request_location  # the main menu, SOS first, is back
    assert w.runtime is not None and w.runtime.db is not None
    assert await load_draft(w.runtime.db, r.id) is None


@pytest.mark.parametrize("step", list(Step))
async def test_lapor_in_the_middle_continues_instead_of_restarting(w: World, step: Step) -> None:
    r = await reach(w, step)
    before = await draft_of(w, r)
    await r.send("/lapor")
    await w.tg.wait_for(r, lambda m: "sedang membuat laporan" in m.text)
    assert await draft_of(w, r) == before


async def test_edit_from_the_summary_returns_to_the_summary(w: World) -> None:
    r = await reach(w, Step.CONFIRM)
    summary = await w.tg.wait_for(r, lambda m: PROMPT[Step.CONFIRM] in m.text)
    await r.press(summary, "Ubah")
    menu = await w.tg.wait_for_edit(summary)
    await r.press(menu, "Lokasi")
    await w.tg.wait_for(
        r, lambda m: PROMPT[Step.LOCATION] in m.text and m.message_id > summary.message_id
    )
    await r.send("Jl. Pandanaran 1, depan toko bandeng")
    pick = await w.tg.wait_for(r, lambda m: "Di kecamatan mana" in m.text)
    await r.press(pick, "Semarang Selatan")
    again = await w.tg.wait_for(
        r, lambda m: "Pandanaran" in m.text and PROMPT[Step.CONFIRM] in m.text
    )
    assert "Gudang terbakar" in again.text and "+6281234567890" in again.text


async def test_double_tapped_send_files_one_report(w: World) -> None:
    r = await reach(w, Step.CONFIRM)
    summary = await w.tg.wait_for(r, lambda m: PROMPT[Step.CONFIRM] in m.text)
    first = r.press_nowait(summary, "Kirim")
    second = r.press_nowait(summary, "Kirim")
    a1 = await w.tg.wait_for_answer(first.id)
    a2 = await w.tg.wait_for_answer(second.id)
    texts = [a1.text or "", a2.text or ""]
    assert any(t.startswith("✅ SMG-") for t in texts)
    assert any("sudah terkirim" in t for t in texts)
    assert w.runtime is not None and w.runtime.db is not None
    mine = await store.reports_of(w.runtime.db, r.id)
    assert len(mine) == 1


async def test_buttons_of_an_old_draft_change_nothing(w: World) -> None:
    r = await reach(w, Step.CATEGORY)
    old = await w.tg.wait_for(r, lambda m: PROMPT[Step.CATEGORY] in m.text)
    await r.send("/batal")
    await w.tg.wait_for(r, lambda m: "dibatalkan" in m.text)
    await r.send("/lapor")
    await w.tg.wait_for(
        r, lambda m: PROMPT[Step.CATEGORY] in m.text and m.message_id > old.message_id
    )
    answer = await r.press(old, "Kebakaran")
    assert answer.text == "Tombol ini sudah tidak berlaku."
    assert (await draft_of(w, r)).category is None


@pytest.mark.parametrize(
    "data",
    ["c1:zzzz:fire", "c9:00000000:fire", "hello", "", "c1:00000000", "d1:00000000:send", "x" * 64],
)
async def test_forged_button_data_is_answered_and_changes_nothing(w: World, data: str) -> None:
    r = await reach(w, Step.CATEGORY)
    ask = await w.tg.wait_for(r, lambda m: PROMPT[Step.CATEGORY] in m.text)
    before = await draft_of(w, r)
    assert await press_forged(w, r, ask, data) == "Tombol ini sudah tidak berlaku."
    assert await draft_of(w, r) == before
    answer = await r.press(ask, "Kebakaran")  # the real button still works
    assert answer.text is None or "tidak berlaku" not in answer.text
    assert (await draft_of(w, r)).category == "fire"


async def test_language_switch_mid_flow_reasks_in_english(w: World) -> None:
    r = await reach(w, Step.LOCATION)
    await r.send("/language")
    choose = await w.tg.wait_for(r, lambda m: "Choose a language" in m.text)
    await r.press(choose, "English")
    await w.tg.wait_for(r, lambda m: "Step 2 of 4" in m.text)
    await r.tap("❌ Cancel")
    await w.tg.wait_for(r, lambda m: "Report cancelled" in m.text)


async def test_no_draft_means_a_pointer_to_lapor(w: World) -> None:
    r = fresh_reporter(w)
    await r.send("tolong")
    reply = await w.next(r)
    assert "/lapor" in reply.text and "112" in reply.text


async def test_every_category_button_leads_to_step_two(w: World) -> None:
    """Labels with "&" (Keamanan & ketertiban) must be escaped in the HTML edit."""
    from bot.domain.categories import CHOOSABLE
    from handlers.views.texts import category_label

    for category in CHOOSABLE:
        r = await reach(w, Step.CATEGORY)
        ask = await w.tg.wait_for(r, lambda m: PROMPT[Step.CATEGORY] in m.text)
        await r.press(ask, category_label("id", category))
        await w.tg.wait_for(r, lambda m: PROMPT[Step.LOCATION] in m.text)
        chosen = await w.tg.wait_for(r, lambda m: "Jenis:" in m.text)
        assert category_label("id", category) in chosen.text
