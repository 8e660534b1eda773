"""The deployment files are real: the Dockerfile, compose.yaml and the systemd unit are
parsed and checked against the code they run (Docker itself is not needed: the container
is built where Docker exists, see the README), and the README documents every setting."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path, PurePosixPath

import pytest
import yaml

from bot.config import Settings
from tests.support.harness import ROOT

UNIT = ROOT / "deploy" / "semarang112.service"


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    steps = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            steps.append((word.upper(), " ".join(rest.split())))
    return steps


def env_of(steps: list[tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for word, rest in steps:
        if word == "ENV":
            values.update(re.findall(r"(\w+)=(\S+)", rest))
    return values


def test_the_dockerfile_runs_the_bot_as_a_user_with_its_database_on_a_volume() -> None:
    steps = dockerfile()
    words = [w for w, _ in steps]
    base = dict(steps)["FROM"]
    assert re.fullmatch(r"python:3\.(\d+)-slim", base) and int(base[9:].split("-")[0]) >= 11
    user = dict(steps)["USER"]
    assert user not in ("root", "0") and words.index("USER") < words.index("CMD")
    assert any(re.search(rf"useradd .*{user}", rest) for word, rest in steps if word == "RUN")
    env = env_of(steps)
    volume = PurePosixPath(dict(steps)["VOLUME"].strip('[]"'))
    assert PurePosixPath(env["DATABASE_PATH"]).parent == volume
    assert env["HEALTH_LISTEN"] == "0.0.0.0" and dict(steps)["EXPOSE"] == env["HEALTH_PORT"]
    health = dict(steps)["HEALTHCHECK"]
    assert health.endswith('CMD ["semarang112", "healthcheck"]')
    assert dict(steps)["CMD"] == '["semarang112", "run"]'
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = project["tool"]["setuptools"]["packages"]["find"]["include"]
    copied = {src for word, rest in steps if word == "COPY" for src in rest.split()[:-1]}
    assert {p.rstrip("*") for p in packages} <= copied  # everything `pip install .` needs
    for name in copied:
        assert (ROOT / name).exists(), name
    ignored = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line]
    kept = {line[1:] for line in ignored if line.startswith("!")}
    assert "*" in ignored  # nothing goes in unless named
    assert kept == copied  # no .env (secrets), database or virtual environment


def test_compose_runs_the_image_with_env_volume_and_healthcheck() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    bot = compose["services"]["bot"]
    assert bot["build"] == "." and bot["env_file"] == ".env"
    assert bot["restart"] in ("always", "unless-stopped")
    (mount,) = bot["volumes"]
    volume, target = mount.split(":")
    assert volume in compose["volumes"]
    assert PurePosixPath(bot["environment"]["DATABASE_PATH"]).parent == PurePosixPath(target)
    assert bot["healthcheck"]["test"] == ["CMD", "semarang112", "healthcheck"]
    port = bot["environment"]["HEALTH_PORT"]
    assert any(p.endswith(f":{port}") for p in bot["ports"])
    assert bot["environment"]["HEALTH_LISTEN"] == "0.0.0.0"
    assert bot["stop_signal"] == "SIGTERM"
    env = env_of(dockerfile())
    assert bot["environment"]["DATABASE_PATH"] == env["DATABASE_PATH"]


def unit() -> dict[str, dict[str, list[str]]]:
    """The unit file's sections and keys (a key may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not a key=value line: {line!r}"
        current.setdefault(key, []).append(value)
    return sections


def test_the_systemd_unit_is_hardened_and_restarts() -> None:
    sections = unit()
    assert set(sections) == {"Unit", "Service", "Install"}
    service = {k: v[-1] for k, v in sections["Service"].items()}
    assert service["Restart"] == "always"
    assert service["RestartPreventExitStatus"] == "2"  # configuration errors (bot.runtime.cli)
    assert service["User"] == "semarang112" and service["Group"] == "semarang112"
    assert service["StateDirectory"] == "semarang112"
    database = [v for v in sections["Service"]["Environment"] if v.startswith("DATABASE_PATH=")]
    assert database == ["DATABASE_PATH=/var/lib/semarang112/semarang112.sqlite3"]
    assert service["ExecStart"].endswith("/bin/semarang112 run")
    assert service["KillSignal"] == "SIGTERM"
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == value, key
    assert "network-online.target" in sections["Unit"]["After"][0]
    assert sections["Install"]["WantedBy"] == ["multi-user.target"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_every_key_of_the_unit(tmp_path: Path) -> None:
    # Only ExecStart is swapped: the virtual environment is not installed in /opt here.
    text = re.sub(r"(?m)^ExecStart=.*$", "ExecStart=/bin/true run", UNIT.read_text())
    copy = tmp_path / "semarang112.service"
    copy.write_text(text)
    done = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout + done.stderr == ""  # no unknown key, no value it cannot parse


def setting_names() -> list[str]:
    return [name.upper() for name in Settings.model_fields]


def test_every_setting_is_documented() -> None:
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    example_names = set(re.findall(r"(?m)^([A-Z_]+)=", example))
    assert [n for n in setting_names() if f"`{n}`" not in readme] == []
    assert [n for n in setting_names() if n not in example_names] == []


def test_readme_documents_running_it_for_real() -> None:
    readme = (ROOT / "README.md").read_text()
    first_two = [line for line in readme.splitlines() if line.startswith("python3 -m venv")][:2]
    assert first_two == [
        "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/python -m bot",
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'"
        " && .venv/bin/python -m pytest",
    ]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "rm -rf .venv" in ci and first_two[1] in ci
    for needle in (
        "Python 3.11",
        "deletes `.venv`",
        "docker build -t semarang112 .",
        "docker compose up -d",
        "deploy/semarang112.service",
        "/healthz",
        "/metrics",
        "LOG_FORMAT=json",
        "semarang112_outbox_depth",
        "semarang112 backup",
    ):
        assert needle in readme, needle


def test_the_postgres_compose_runs_two_replicas_on_one_database() -> None:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.postgres.yaml").read_text())
    services = compose["services"]
    bots = [services[name] for name in ("bot-a", "bot-b")]
    urls = {bot["environment"]["DATABASE_URL"] for bot in bots}
    assert len(urls) == 1 and next(iter(urls)).startswith("postgresql://")
    assert "@postgres:" in next(iter(urls))  # the compose file's own PostgreSQL service
    assert {bot["ports"][0] for bot in bots} == {"127.0.0.1:8080:8080", "127.0.0.1:8081:8080"}
    for bot in bots:
        Settings(_env_file=None, **{k.lower(): v for k, v in bot["environment"].items()})
        assert bot["restart"] == "unless-stopped"  # a replica that lost the lease comes back
        assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
