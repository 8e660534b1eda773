"""End to end with the stand-in geocoder: candidates for typed places the gazetteer does
not know, street addresses for pins, and a slow or failing geocoder never stalls a report."""

from __future__ import annotations

from pathlib import Path

from bot.runtime.app import BotRuntime
from emulator.geocoder import GeocoderEmulator, Mode
from tests.support.harness import World, world


async def reach_location(w: World) -> None:
    r = w.reporter
    await r.send("/lapor")
    await r.press(await w.tg.wait_for(r, lambda m: "Langkah 1" in m.text), "Pohon tumbang")
    await w.tg.wait_for(r, lambda m: "Langkah 2" in m.text)


async def test_geocoder_offers_candidates_and_addresses(tmp_path: Path) -> None:
    async with GeocoderEmulator() as geo, world(tmp_path, start_bot=False) as w:
        settings = w.settings.model_copy(
            update={"geocoder_enabled": True, "geocoder_url": geo.base_url}
        )
        async with BotRuntime(settings, poll_timeout=1):
            r = w.reporter
            await reach_location(w)
            await r.send("Jl. Pandanaran depan toko bandeng")
            offer = await w.tg.wait_for(r, lambda m: "Maksud Anda" in m.text)
            assert "Pekunden" in offer.inline_buttons[0][0].text
            assert geo.requests_to("/search")
            await r.press(offer, "Pekunden")
            ack = await w.tg.wait_for(r, lambda m: "Lokasi diterima" in m.text)
            assert "Kec. Semarang Tengah" in ack.text or "Semarang Tengah" in ack.text

            await r.send("/batal")
            await reach_location(w)
            await r.send_location(-6.983925, 110.410633)
            pin = await w.tg.wait_for(
                r, lambda m: "Lokasi diterima" in m.text and "Lawang Sewu" in m.text
            )
            assert geo.requests_to("/reverse") and "Jalan Pemuda" in pin.text


async def test_a_slow_geocoder_falls_back_to_kecamatan_buttons(tmp_path: Path) -> None:
    async with (
        GeocoderEmulator(mode=Mode.SLOW, slow_delay_s=30) as geo,
        world(tmp_path, start_bot=False) as w,
    ):
        settings = w.settings.model_copy(
            update={
                "geocoder_enabled": True,
                "geocoder_url": geo.base_url,
                "geocoder_timeout_seconds": 0.5,
            }
        )
        async with BotRuntime(settings, poll_timeout=1):
            r = w.reporter
            await reach_location(w)
            await r.send("gang kelinci belakang pasar")
            pick = await w.tg.wait_for(r, lambda m: "Di kecamatan mana" in m.text, timeout=8)
            await r.press(pick, "Candisari")
            await w.tg.wait_for(r, lambda m: "Langkah 3" in m.text)
            await r.send_location(-6.99, 110.42)  # a pin at the details step: kept, no stall
            await w.tg.wait_for(
                r, lambda m: "Lokasi diterima" in m.text and "Kel." in m.text, timeout=8
            )


async def test_a_broken_routing_file_stops_the_start_naming_it(tmp_path: Path) -> None:
    import asyncio
    import os
    import sys

    from tests.support import factories as f

    bad = tmp_path / "routing.toml"
    bad.write_text(
        '[agencies.damkar]\nname = "Damkar"\nshort_name = "Damkar"\n'
        '[categories]\nfire = "pemadam"\n'
    )
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": f.TOKEN,
        "DISPATCH_CHAT_ID": "-100200",
        "TELEGRAM_API_URL": "http://127.0.0.1:9",
        "ROUTING_PATH": str(bad),
        "DATABASE_PATH": str(tmp_path / "x.sqlite3"),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=str(tmp_path),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    assert proc.returncode == 2
    assert b"ROUTING_PATH" in err and b"pemadam" in err
