"""HEALTH_PORT: /healthz answers 200 or 503 with a small JSON body; /metrics speaks the
Prometheus text format with the figures an operator watches."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.domain.clock import FakeClock
from bot.domain.models import utc_iso
from bot.domain.routing import load_routing
from bot.runtime.health import Checks, HealthState, assess, probe_database, read_figures
from bot.runtime.metrics import DatabaseFigures, Metrics, api_method, update_type
from storage import health as figures
from storage import outbox as queue
from storage.db import Database
from tests.support import factories as f
from tests.support.harness import file_report, world
from tests.support.processes import free_port

T0 = datetime(2026, 3, 27, 5, 0, tzinfo=UTC)


def healthy_state(clock: FakeClock) -> HealthState:
    state = HealthState(clock, dispatch_chat_id=f.DISPATCH_CHAT, receiving=lambda: True)
    state.api_succeeded()
    return state


def fine() -> Checks:
    return Checks(True, None, DatabaseFigures())


def test_all_well_is_200_with_the_promised_fields() -> None:
    clock = FakeClock(T0)
    state = healthy_state(clock)
    clock.advance(timedelta(seconds=20))
    outbox = DatabaseFigures(outbox_depth={"dispatch": 2}, outbox_oldest_age_s={"dispatch": 4.25})
    code, body = assess(state, Checks(True, None, outbox), clock.now())
    assert code == 200 and body["status"] == "ok" and body["problems"] == []
    assert body["updates"] == {"mode": "polling", "alive": True}
    assert body["bot_api"] == {"last_success": "2026-03-27T05:00:00Z", "seconds_ago": 20.0}
    assert body["dispatch_chat"] == {"id": f.DISPATCH_CHAT, "reachable": True}
    assert body["database"] == {"writable": True}
    assert body["outbox"]["depth"]["dispatch"] == 2 and body["outbox"]["depth"]["reporter"] == 0
    assert body["outbox"]["oldest_age_seconds"] == 4.2


def test_each_reason_the_bot_cannot_do_its_job_is_503() -> None:
    clock = FakeClock(T0)
    state = healthy_state(clock)
    state.dispatch_chat_refusing(True, "Forbidden: bot was kicked")
    code, body = assess(state, fine(), clock.now())
    assert code == 503 and body["dispatch_chat"]["reachable"] is False
    assert body["problems"] == ["the dispatch chat refuses messages (Forbidden: bot was kicked)"]
    state.dispatch_chat_refusing(False)
    assert assess(state, fine(), clock.now())[0] == 200

    clock.advance(timedelta(seconds=61))
    code, body = assess(state, fine(), clock.now())
    assert code == 503 and body["problems"] == ["no successful Bot API request for a minute"]
    state.api_succeeded()

    code, body = assess(
        state, Checks(False, "attempt to write a readonly database", DatabaseFigures()), clock.now()
    )
    assert code == 503 and body["database"] == {"writable": False}
    assert "readonly" in body["problems"][0]

    stopped = HealthState(clock, receiving=lambda: False)
    stopped.api_succeeded()
    code, body = assess(stopped, fine(), clock.now())
    assert code == 503 and body["updates"]["alive"] is False


def test_the_dispatch_chat_is_judged_by_telegrams_answers() -> None:
    state = healthy_state(FakeClock(T0))
    state.observe_response("sendMessage", 403, 555)  # another chat: not the dispatch chat
    state.observe_response("getChat", 403, f.DISPATCH_CHAT)  # not a delivery
    assert not state.dispatch_refusing
    state.observe_response("sendMessage", 403, f.DISPATCH_CHAT)
    assert state.dispatch_refusing
    state.observe_response("editMessageText", 200, f.DISPATCH_CHAT)
    assert not state.dispatch_refusing


def test_request_urls_and_updates_are_named() -> None:
    assert api_method(f"http://h/bot{f.TOKEN}/sendMessage") == "sendMessage"
    assert api_method(f"http://h/file/bot{f.TOKEN}/photos/file_1.jpg") == "file"
    assert update_type(object()) == "other"


async def test_figures_come_from_the_database(tmp_path: Path) -> None:
    settings = f.settings(tmp_path)
    routing = load_routing(None)
    db = await Database.open(settings.database_path)
    try:
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO reporters (user_id, first_name, created_at, updated_at)"
                " VALUES (1, 'Budi', ?, ?)",
                (utc_iso(T0), utc_iso(T0)),
            )
            for ticket, state, received in (
                ("A", "received", T0 - timedelta(minutes=11)),  # past the target
                ("B", "claimed", T0 - timedelta(minutes=3)),
                ("C", "on_scene", T0 - timedelta(minutes=30)),  # someone is there
                ("D", "closed", T0 - timedelta(minutes=40)),
            ):
                await tx.execute(
                    "INSERT INTO reports (ticket, reporter_id, chat_id, language, category,"
                    " state, submitted_at, received_at, updated_at)"
                    " VALUES (?, 1, 1, 'id', 'fire', ?, ?, ?, ?)",
                    (ticket, state, utc_iso(received), utc_iso(received), utc_iso(received)),
                )
            messages = [
                queue.OutboundMessage(f.DISPATCH_CHAT, "send_message", {"text": "a"}, "card"),
                queue.OutboundMessage(f.DISPATCH_CHAT, "send_message", {"text": "b"}, "card"),
                queue.OutboundMessage(7001, "send_message", {"text": "c"}, "receipt"),
            ]
            await queue.enqueue(tx, messages, T0 - timedelta(seconds=90))
        result = await read_figures(db, settings, routing, T0)
        assert result.outbox_depth == {"dispatch": 2, "reporter": 1}
        assert result.outbox_oldest_age_s == {"dispatch": 90.0, "reporter": 90.0}
        assert result.reports_by_state == {"received": 1, "claimed": 1, "on_scene": 1, "closed": 1}
        assert result.reports_past_target == 1
        assert result.digests_sent == 0
        assert await probe_database(db) is None
        async with db.read() as tx:  # the probe leaves nothing behind
            assert (
                await tx.one("SELECT name FROM sqlite_master WHERE name = '_write_probe'") is None
            )
        assert await figures.sent_count(db, "card") == 0
    finally:
        await db.close()
    assert await probe_database(db) is not None  # a closed database cannot be written


def scrape(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics answer, by name and labels."""
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


async def test_healthz_and_metrics_of_a_running_bot(tmp_path: Path) -> None:
    port = free_port()
    async with world(tmp_path, health_port=port) as w:
        assert w.runtime is not None
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient() as http:
            answer = await http.get(f"{base}/healthz")
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert body["status"] == "ok" and body["updates"] == {"mode": "polling", "alive": True}
            assert body["dispatch_chat"] == {"id": w.dispatch.id, "reachable": True}

            ticket = await file_report(w)
            await w.card(ticket)
            w.server.add_fault(
                method="sendMessage",
                status=429,
                description="Too Many Requests: retry after 1",
                parameters={"retry_after": 1},
                chat_id=w.reporter.id,
            )
            await w.reporter.send("/help")
            await w.tg.wait_for(w.reporter, lambda m: "/status" in m.text, timeout=10)

            answer = await http.get(f"{base}/metrics")
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith("text/plain")
            m = scrape(answer.text)
            assert (
                m[("semarang112_updates_total", (("type", "message"),))] == 5
            )  # /lapor, pin, details, skip, /help
            assert m[("semarang112_updates_total", (("type", "callback_query"),))] >= 2
            sent = (
                "semarang112_bot_api_requests_total",
                (("code", "200"), ("method", "sendMessage")),
            )
            assert m[sent] >= 5
            flood = (
                "semarang112_bot_api_errors_total",
                (("code", "429"), ("method", "sendMessage")),
            )
            assert m[flood] == 1
            assert m[("semarang112_flood_waits_total", (("method", "sendMessage"),))] == 1
            assert m[("semarang112_reports", (("state", "received"),))] == 1
            assert m[("semarang112_reports_past_target", ())] == 0
            assert m[("semarang112_outbox_depth", (("chat_role", "dispatch"),))] == 0
            assert ("semarang112_outbox_oldest_age_seconds", (("chat_role", "reporter"),)) in m
            assert m[("semarang112_digests_sent_total", ())] == 0
            assert m[("semarang112_reports_not_received", ())] == 0
            assert m[("semarang112_chats_cut_off", ())] == 0
            assert m[("semarang112_healthy", ())] == 1
            assert m[("semarang112_bot_api_last_success_timestamp_seconds", ())] > 0

            w.runtime.health.dispatch_chat_refusing(True, "test")  # what delivery code calls
            answer = await http.get(f"{base}/healthz")
            assert answer.status_code == 503
            assert answer.json()["problems"] == ["the dispatch chat refuses messages (test)"]
            w.runtime.health.dispatch_chat_refusing(False)
            assert (await http.get(f"{base}/healthz")).status_code == 200

            # The bot is removed from the dispatchers' group: Telegram answers 403.
            w.server.add_fault(
                method=None,  # every call aimed at that chat
                status=403,
                description="Forbidden: bot was kicked from the group chat",
                chat_id=w.dispatch.id,
                count=None,
            )
            await file_report(w, details="Pohon tumbang menutup jalan.")
            for _ in range(50):
                answer = await http.get(f"{base}/healthz")
                if answer.status_code == 503:
                    break
                await asyncio.sleep(0.1)
            assert answer.status_code == 503
            assert "refuses messages" in answer.json()["problems"][0]
            m = scrape((await http.get(f"{base}/metrics")).text)
            assert m[("semarang112_healthy", ())] == 0
            assert m[("semarang112_chats_cut_off", ())] == 1


async def test_no_health_server_unless_asked(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        assert w.settings.health_port is None
        assert w.runtime is not None and w.runtime.health_server is None


def test_metrics_exposition_counts_what_it_is_told() -> None:
    metrics = Metrics()
    metrics.count_response("getUpdates", 200)
    metrics.count_response("sendMessage", 0)
    m = scrape(metrics.exposition().decode())
    assert (
        m[("semarang112_bot_api_requests_total", (("code", "200"), ("method", "getUpdates")))] == 1
    )
    assert m[("semarang112_bot_api_errors_total", (("code", "0"), ("method", "sendMessage")))] == 1
    assert (
        "semarang112_bot_api_errors_total",
        (("code", "200"), ("method", "getUpdates")),
    ) not in m
