"""Running ``python -m bot`` (or the emulator) as its own process, as an operator would."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from tests.support import factories as f

SETTINGS_OF_THE_DEVELOPER = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_URL",
    "DISPATCH_CHAT_ID",
    "DATABASE_PATH",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "HEALTH_PORT",
    "HEALTH_LISTEN",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_PORT",
    "STARTUP_RETRY_SECONDS",
)


def clean_env(**values: str) -> dict[str, str]:
    """This process's environment without any bot setting, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_OF_THE_DEVELOPER}
    env.update(values)
    return env


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Finished:
    """A process that ended: its exit status and everything it printed."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.strip()]


async def run_cli(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 60, **popen: object
) -> Finished:
    """Run ``python -m bot ARGS`` to its end (killed, and the test failed, after ``timeout``)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=str(cwd),
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        **popen,  # type: ignore[arg-type]
    )
    try:
        async with asyncio.timeout(timeout):
            out, err = await proc.communicate()
    except TimeoutError:
        proc.kill()
        await proc.communicate()
        raise AssertionError(
            f"`python -m bot {' '.join(args)}` still ran after {timeout} s"
        ) from None
    assert proc.returncode is not None
    return Finished(proc.returncode, out.decode(), err.decode())


def assert_one_line_error(done: Finished, setting: str, code: int, *, secret: str = f.TOKEN) -> str:
    """The process failed as an operator should see it: exit ``code``, no traceback, no
    secret, and one error line, the last, naming ``setting``. Returns that line."""
    text = done.output
    assert done.returncode == code, text
    assert "Traceback" not in text, text
    assert secret not in text and secret.split(":")[-1] not in text, text
    errors = [line for line in done.lines if re.search(r"\b(CRITICAL|ERROR)\b|^Invalid", line)]
    fatal = [line for line in errors if "cannot start" in line or line.startswith("Invalid")]
    assert len(fatal) == 1, text
    assert done.lines[-1] == fatal[0], text
    assert setting in fatal[0], text
    return fatal[0]


@contextlib.asynccontextmanager
async def emulator_process(*args: str) -> AsyncIterator[str]:
    """``python -m emulator --port 0 ARGS``; yields its root URL; stopped at the end."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "emulator",
        "--port",
        "0",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(30):
            line = (await proc.stdout.readline()).decode()
        found = re.search(r"http://\S+", line)
        assert found is not None, line
        yield found.group(0)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
            try:
                async with asyncio.timeout(10):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
                await proc.wait()


def read(path: Path) -> str:
    """A small log file's text."""
    return path.read_text()


@contextlib.asynccontextmanager
async def running_bot(
    env: dict[str, str], cwd: Path, log: Path, *, ready: str = "is running"
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``python -m bot run`` until ``ready`` is logged; SIGTERM at the end."""
    with log.open("ab") as sink:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=str(cwd), env=env, stdout=sink, stderr=sink
        )
    try:
        async with asyncio.timeout(30):
            while ready not in read(log):
                assert proc.returncode is None, read(log)
                await asyncio.sleep(0.1)
        yield proc
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(15):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
                await proc.wait()


def copy_env_example(target_dir: Path, **filled: str) -> Path:
    """``cp .env.example .env`` and fill in only the given settings."""
    from tests.support.harness import ROOT

    env_file = target_dir / ".env"
    shutil.copy(ROOT / ".env.example", env_file)
    lines = []
    for line in env_file.read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={filled[name]}" if name in filled and "=" in line else line)
    env_file.write_text("\n".join(lines) + "\n")
    return env_file
