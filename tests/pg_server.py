"""A throw-away PostgreSQL server for the test session (Debian's postgresql binaries).

Started in a temp dir on a free 127.0.0.1 port (unix socket in the same dir), trust auth,
as the ``postgres`` user when the tests run as root (initdb refuses root). Stopped at the end
of the session. When it cannot be started, tests skip with the reason, or fail in CI.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import skip_or_fail


def _bin_dir() -> Path | None:
    """The newest installed PostgreSQL bin directory holding initdb and pg_ctl."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user(cmd: list[str]) -> list[str]:
    """Run as postgres when we are root (initdb and postgres refuse to run as root)."""
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", "postgres", "--", *cmd]
        return ["su", "postgres", "-c", " ".join(cmd)]
    return cmd


class PostgresServer:
    """One running server: ``url`` for SQLAlchemy, ``stop()`` to shut it down."""

    def __init__(self) -> None:
        bindir = _bin_dir()
        if bindir is None:
            raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl) found")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="evalkit-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        try:
            if os.geteuid() == 0:
                shutil.chown(self.root, user="postgres")
            os.chmod(self.root, 0o700)
            self._run(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(self.data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            )
            opts = f"-p {self.port} -h 127.0.0.1 -k {self.root} -F"
            self._run(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    opts,
                    "-w",
                    "-t",
                    "60",
                    "-l",
                    str(self.root / "log"),
                    "start",
                ]
            )
        except Exception:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self.url = f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, cmd: list[str]) -> None:
        res = subprocess.run(_as_user(cmd), capture_output=True, text=True, timeout=120)
        if res.returncode != 0:
            raise RuntimeError(f"{Path(cmd[0]).name} failed: {res.stderr.strip()[-500:]}")

    def stop(self) -> None:
        """Stop the server fast and remove its directory."""
        try:
            self._run(
                [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a PostgreSQL server started for this session (skip/fail if impossible)."""
    try:
        server = PostgresServer()
    except Exception as exc:  # no binaries, no postgres user, port trouble ...
        skip_or_fail(f"cannot start a local PostgreSQL server: {exc}")
        return
    try:
        yield server.url
    finally:
        server.stop()
