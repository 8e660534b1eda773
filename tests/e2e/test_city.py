"""End to end: the city at a glance (``/peta``) and travellers told where they are.

A traveller outside Kota Semarang is told which kabupaten/kota (and province) they are in,
still forwarded, and the dispatchers see it on the card, in ``/antrian``, ``/statistik``
and ``/ekspor``. ``/peta`` sends the map as a photo whose caption counts what it shows,
and only to dispatchers.
"""

from __future__ import annotations

import csv
import io
import itertools
import struct
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from emulator.driver import Group, Message, User
from tests.e2e.conftest import BACKENDS, settings_for
from tests.support.harness import World, file_report, world

pytestmark = pytest.mark.asyncio(loop_scope="module")
_ids = itertools.count(1)
FILED: Counter[str] = Counter()  # reports from outside the city in this module's world

# Points picked for these tests on the map (not the reference data's landmarks).
TRAVELLERS = [
    ((-7.2430, 110.4310), "Kabupaten Semarang"),  # Bawen, on the Semarang–Solo road
    ((-6.9740, 110.0690), "Kabupaten Kendal"),  # Weleri, on the north-coast road
    ((-6.9230, 110.5120), "Kabupaten Demak"),  # Sayung, east of the city
    ((-7.2480, 109.0000), "Kabupaten Brebes"),  # Bumiayu
]


@pytest_asyncio.fixture(loop_scope="module", scope="module", params=BACKENDS)
async def w(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    on = settings_for(request, request.param)
    FILED.clear()  # this world's own reports (the module runs once per backend)
    async with world(tmp_path_factory.mktemp("city"), **on) as running:
        yield running


def traveller(w: World) -> User:
    n = next(_ids)
    return w.tg.user(f"Pemudik{n}", username=f"pemudik_{n}", language_code="id")


async def said(
    w: World, who: User | Group, needle: str, after: int = 0, timeout: float = 10
) -> Message:
    return await w.tg.wait_for(
        who, lambda m: m.message_id > after and needle in m.text, timeout=timeout
    )


async def report_from(w: World, lat: float, lon: float) -> tuple[Message, Message]:
    """A whole guided report from a point: the location's answer and the card."""
    r = traveller(w)
    await r.send("/lapor")
    await r.press(await said(w, r, "Langkah 1"), "Kecelakaan")
    await said(w, r, "Langkah 2")
    await r.send_location(lat, lon, horizontal_accuracy=20)
    ack = await said(w, r, "Langkah 3")
    await r.send("Tabrakan beruntun di jalan tol, dua mobil.")
    await said(w, r, "Langkah 4")
    await r.send("⏭ Lewati")
    summary = await said(w, r, "Periksa laporan")
    await r.press(summary, "Kirim")
    sent = await said(w, r, "Laporan terkirim")
    ticket = sent.text.split("Nomor tiket: ")[1].split()[0]
    return ack, await w.card(ticket, timeout=10)


@pytest.mark.parametrize(("point", "kabupaten"), TRAVELLERS)
async def test_a_traveller_is_told_the_kabupaten_and_the_card_shows_it(
    w: World, point: tuple[float, float], kabupaten: str
) -> None:
    ack, card = await report_from(w, *point)
    FILED[kabupaten] += 1
    assert f"Anda berada di {kabupaten}, Jawa Tengah — di luar Kota Semarang" in ack.text
    assert "berlaku di seluruh Indonesia" in ack.text and "112" in ack.text
    assert f"LUAR KOTA — {kabupaten}, Jawa Tengah" in card.text
    assert card.inline_buttons  # forwarded like any other report: dispatchers can act


async def test_an_sos_from_outside_the_city_names_the_kabupaten_too(w: World) -> None:
    r = traveller(w)
    await r.send_location(-6.9230, 110.5120)  # no report in progress: an SOS
    receipt = await said(w, r, "Lokasi Anda terkirim")
    assert "Anda berada di Kabupaten Demak, Jawa Tengah — di luar Kota Semarang" in receipt.text
    assert receipt.text.rstrip().endswith("Apa yang terjadi?")
    card = await w.tg.wait_for(
        w.dispatch, lambda m: "📌" in m.text and "SOS" in m.text and "Demak" in m.text
    )
    assert "LUAR KOTA — Kabupaten Demak, Jawa Tengah" in card.text
    FILED["Kabupaten Demak"] += 1


async def test_outside_java_the_traveller_gets_the_coordinates(w: World) -> None:
    r = traveller(w)
    await r.send("/lapor")
    await r.press(await said(w, r, "Langkah 1"), "Kecelakaan")
    await said(w, r, "Langkah 2")
    await r.send_location(-8.6500, 115.2000)  # Bali
    ack = await said(w, r, "Langkah 3")
    assert "di luar Pulau Jawa (-8.650000, 115.200000) — di luar Kota Semarang" in ack.text
    await r.send("/batal")


async def test_the_queue_statistics_and_export_name_the_kabupaten(w: World) -> None:
    for point, kabupaten in TRAVELLERS:  # whatever the tests before did not file (run alone)
        if not FILED[kabupaten]:
            await report_from(w, *point)
            FILED[kabupaten] += 1
    d = w.dispatcher
    start = max(w.tg.world.chats[w.dispatch.id].order, default=0)
    await d.send("/antrian", chat=w.dispatch)
    queue = await said(w, w.dispatch, "Antrian", start)
    for _, kabupaten in TRAVELLERS:
        assert f"🚩 luar kota: {kabupaten}" in queue.text
    await d.send("/statistik", chat=w.dispatch)
    stats = await said(w, w.dispatch, "Luar kota, per kabupaten/kota", start)
    for kabupaten, count in FILED.items():
        assert f"{kabupaten}: {count}" in stats.text
    await d.send("/ekspor csv hari", chat=w.dispatch)
    doc = await w.tg.wait_for(
        w.dispatch, lambda m: m.message_id > start and m.raw.get("document") is not None
    )
    data = w.tg.world.files[doc.raw["document"]["file_id"]].data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    regions = sorted(r["region"] for r in rows if r["region"])
    assert regions == sorted(FILED.elements())
    assert {r["province"] for r in rows if r["region"]} == {"Jawa Tengah"}


async def test_peta_sends_the_map_with_a_caption_that_counts_it(tmp_path: Path) -> None:
    async with world(tmp_path) as city:
        await file_report(city)  # Simpang Lima
        await city.card()
        pemudik = city.tg.user("Rudi", username="rudi_mudik", language_code="id")
        await pemudik.send_location(-6.9740, 110.0690)  # Kendal: an SOS outside the city
        await city.tg.wait_for(city.dispatch, lambda m: "📌" in m.text and "Kendal" in m.text)

        asked = time.monotonic()
        await city.dispatcher.send("/peta", chat=city.dispatch)
        photo = await city.tg.wait_for(
            city.dispatch, lambda m: m.photo is not None and "Peta laporan" in m.text, timeout=20
        )
        took = time.monotonic() - asked
        assert took < 20  # within seconds, the first map included (matplotlib loads)
        assert "Peta laporan terbuka" in photo.text
        assert "2 laporan: 1 di peta · 1 di luar bingkai (panah di tepi)" in photo.text
        assert "🚩 1 luar kota" in photo.text
        assert photo.photo is not None
        png = city.tg.world.files[photo.photo[-1]["file_id"]].data
        assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24]) == (1024, 1200)

        await city.dispatcher.send("/peta hari", chat=city.dispatch)
        today = await city.tg.wait_for(
            city.dispatch, lambda m: m.photo is not None and "hari ini" in m.text, timeout=20
        )
        assert "(2 terbuka, 0 selesai — pudar)" in today.text

        await city.member.send("/peta", chat=city.dispatch)
        await city.tg.wait_for(
            city.dispatch, lambda m: "Peta hanya untuk petugas dispatch" in m.text
        )
        await city.dispatcher.send("/peta atlantis", chat=city.dispatch)
        await city.tg.wait_for(city.dispatch, lambda m: "Pakai: /peta" in m.text)
        photos = [m for m in city.tg.bot_messages(city.dispatch) if m.photo is not None]
        assert len(photos) == 2  # the member's and the unknown word got no map
