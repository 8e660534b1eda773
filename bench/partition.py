"""A silent partition: the active bot's host drops off the network (no FIN, no RST).

``python -m bench.partition`` (root, Linux): the active process runs in a network
namespace joined to the host by a veth pair; PostgreSQL and the Bot API emulator listen on
the host's end (10.200.0.1), the standby on the host itself. The namespace's end of the
link is taken down: the active process can reach neither PostgreSQL nor Telegram, and the
server hears nothing more from its sessions. Timed: from the cut until the standby's
/healthz says active, and until a reporter's /start is answered. The server ends the
lease's session after ~5 s of silence (storage/lease.py: TCP keepalives and
``tcp_user_timeout``); the cut-off process stops acting after ``2 ×
FAILOVER_CHECK_SECONDS`` without a confirmation.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp

from bench.failover import TOKEN, Pair, Replica, ask_until_answered, free_port
from bench.support import ROOT, Process, python_argv
from emulator.driver import Driver
from emulator.server import BotApiServer

NS, HOST_END, NS_END = "semarang112-part", "s112p0", "s112p1"
HOST_IP, NS_IP = "10.200.0.1", "10.200.0.2"


def sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=30)


@contextlib.contextmanager
def namespace() -> Iterator[None]:
    """The namespace and its link to the host (removed afterwards)."""
    subprocess.run(["ip", "netns", "del", NS], capture_output=True, check=False)
    subprocess.run(["ip", "link", "del", HOST_END], capture_output=True, check=False)
    sh("ip", "netns", "add", NS)
    try:
        sh("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", NS_END)
        sh("ip", "link", "set", NS_END, "netns", NS)
        sh("ip", "addr", "add", f"{HOST_IP}/24", "dev", HOST_END)
        sh("ip", "link", "set", HOST_END, "up")
        sh("ip", "netns", "exec", NS, "ip", "addr", "add", f"{NS_IP}/24", "dev", NS_END)
        sh("ip", "netns", "exec", NS, "ip", "link", "set", NS_END, "up")
        sh("ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up")
        yield
    finally:
        subprocess.run(["ip", "link", "del", HOST_END], capture_output=True, check=False)
        subprocess.run(["ip", "netns", "del", NS], capture_output=True, check=False)


async def one_round(url: str, folder: Path) -> dict[str, Any]:
    await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    async with BotApiServer(host=HOST_IP) as server, aiohttp.ClientSession() as session:
        tg = Driver(server, TOKEN)
        dispatcher = tg.user("Sari", username="op_sari", language_code="id")
        dispatch = tg.group("Command Center 112 — Dispatch", admins=[dispatcher])
        p = Pair(server, tg, dispatch, url, folder, session=session)
        port = free_port()
        env = p.env(port) | {"HEALTH_LISTEN": NS_IP}
        inside = Process(
            "a",
            ["ip", "netns", "exec", NS, *python_argv("-m", "bot", "run")],
            env,
            ROOT,
            folder / "a.log",
        )
        await inside.start()
        a = Replica("a", inside, port, host=NS_IP)
        p.replicas.append(a)
        try:
            await p.active(60)
            b = await p.start("b")
            await p.standby_ready(b, 60)
            probe = tg.user("Pemeriksa", username="probe", language_code="id")
            t0 = time.monotonic()
            sh("ip", "netns", "exec", NS, "ip", "link", "set", NS_END, "down")
            answered = asyncio.ensure_future(ask_until_answered(tg, probe, 60))
            while await b.role(session) != "active":
                if time.monotonic() - t0 > 60:
                    raise RuntimeError(f"no takeover:\n{b.process.log_tail()}")
                await asyncio.sleep(0.05)
            lease_s = time.monotonic() - t0
            resent = await answered
            answer_s = time.monotonic() - t0
            stopped = [line for line in inside.log_lines() if "stops acting" in line]
        finally:
            for r in p.replicas:
                await r.process.stop(grace=10)
    return {
        "lease_s": round(lease_s, 2),
        "answer_s": round(answer_s, 2),
        "probe_sent_again": resent,
        "cut_off_process_stopped_acting": bool(stopped),
        "its_exit_code": inside.returncode,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/semarang112-partition"))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.support.postgres import start_cluster

    results = []
    with namespace():
        cluster = start_cluster(listen=f"127.0.0.1,{HOST_IP}", trust=f"{HOST_IP}/24")
        try:
            for n in range(args.rounds):
                url = cluster.database(f"part{n}", migrated=False).replace("127.0.0.1", HOST_IP)
                if n:  # the namespace's end comes back for the next round
                    sh("ip", "netns", "exec", NS, "ip", "link", "set", NS_END, "up")
                results.append(asyncio.run(one_round(url, args.folder / str(n))))
                print(f"  partition {n + 1}: {results[-1]}")
        finally:
            cluster.stop()
    lease = [r["lease_s"] for r in results]
    answer = [r["answer_s"] for r in results]
    summary = {
        "rounds": len(results),
        "lease_p50_s": statistics.median(lease),
        "lease_max_s": max(lease),
        "answer_p50_s": statistics.median(answer),
        "answer_max_s": max(answer),
    }
    print(json.dumps(summary, indent=2))
    ok = summary["answer_max_s"] < 10 and all(r["cut_off_process_stopped_acting"] for r in results)
    print(f"takeover < 10 s after a silent partition: {'PASS' if ok else 'MISS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
