"""Run the Bot API emulator standalone: ``python -m emulator --port 8081``.

Prints the root URL; point a bot at it with
``ApplicationBuilder().base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")``.
Without people to talk to (there is no driver in this mode) it is mostly useful for
checking that a bot starts up, registers its commands and polls.  Stop with Ctrl+C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from emulator.server import BotApiServer

DEFAULT_TOKEN = "123456789:EMULATOR-token-not-a-secret_01"
"""Accepted when no ``--token`` is given; shaped like BotFather's, so the bot accepts it
(``TELEGRAM_BOT_TOKEN=123456789:EMULATOR-token-not-a-secret_01``)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        help=f"bot token to accept (repeatable; default {DEFAULT_TOKEN})",
    )
    parser.add_argument("--username", default="semarang112_bot")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per API call")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    server = BotApiServer(host=args.host, port=args.port, latency=args.latency)
    for token in args.token or [DEFAULT_TOKEN]:
        server.register_bot(token, username=args.username)
    async with server:
        print(f"Bot API emulator running at {server.root_url}", flush=True)
        for token in args.token or [DEFAULT_TOKEN]:
            print(f"  TELEGRAM_API_URL={server.root_url} TELEGRAM_BOT_TOKEN={token}", flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))


if __name__ == "__main__":
    main()
