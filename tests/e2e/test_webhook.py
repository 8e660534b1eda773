"""End to end in webhook mode: updates without the right secret token are refused."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
from pydantic import SecretStr

from bot.runtime.app import BotRuntime
from tests.support.harness import world

SECRET = "s3cret-token_for-the-webhook"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_accepts_only_updates_with_the_secret(tmp_path: Path) -> None:
    port = free_port()
    async with world(tmp_path, start_bot=False) as w:
        settings = w.settings.model_copy(
            update={
                "webhook_url": f"http://127.0.0.1:{port}/telegram/hook",
                "webhook_secret": SecretStr(SECRET),
                "webhook_port": port,
            }
        )
        async with BotRuntime(settings):
            hook = [c for c in w.server.calls if c.method == "setWebhook"]
            assert hook and hook[-1].params["secret_token"] == SECRET
            message = await w.reporter.send("/start")  # queued for polling, unused here
            update = {"update_id": 424242, "message": message.raw}
            body = json.dumps(update)
            url = f"http://127.0.0.1:{port}/telegram/hook"
            headers = {"Content-Type": "application/json"}
            async with httpx.AsyncClient() as http:
                refused = await http.post(url, content=body, headers=headers)
                wrong = await http.post(
                    url,
                    content=body,
                    headers={**headers, "X-Telegram-Bot-Api-Secret-Token": "guess"},
                )
                assert refused.status_code == 403 and wrong.status_code == 403
                await w.tg.assert_no_bot_message(w.reporter, within=0.5)
                accepted = await http.post(
                    url,
                    content=body,
                    headers={**headers, "X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                assert accepted.status_code == 200
            hello = await w.tg.wait_for(w.reporter, lambda m: "Command Center 112" in m.text)
            assert "112" in hello.text
