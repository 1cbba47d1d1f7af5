"""Throwaway database servers for the tests and bench.storage: a PostgreSQL cluster from Debian's
packages and moto's standalone DynamoDB server, both on this machine only (a Unix socket;
127.0.0.1). Development tools only: nothing the server itself runs imports this."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Final

# initdb refuses to run as root, so as root the cluster belongs to this user (Debian's package
# creates it).
CLUSTER_USER = "postgres"
DB_USER = "cramp"


def postgres_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin holding initdb and pg_ctl (the real binaries, not
    Debian's pg_wrapper in /usr/bin, which wants a cluster registered with pg_ctlcluster)."""
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        folder = Path(initdb).parent
        if (folder / "pg_ctl").exists() and (folder / "postgres").exists():
            with contextlib.suppress(ValueError):
                found.append((int(folder.parent.name), folder))
    return max(found)[1] if found else None


def required(variable: str) -> bool:
    """Whether a missing server must fail the run (CI, or REQUIRE_*) instead of skipping."""
    return os.environ.get("CI", "").lower() == "true" or bool(os.environ.get(variable))


class PostgresCluster:
    """initdb + pg_ctl in a private temporary folder; clients connect over its Unix socket."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="cramp-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._user = CLUSTER_USER if os.geteuid() == 0 else None
        if self._user is not None:
            entry = pwd.getpwnam(self._user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            DB_USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin_dir / tool), *args],
            user=self._user,
            cwd=self.root,
            capture_output=True,
            text=True,
            check=check,
            timeout=60,
        )

    def start(self) -> None:
        options = (
            f"-k {self.root} -c listen_addresses='' -c fsync=off "
            "-c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql:///{dbname}?host={self.root}&user={DB_USER}"

    def sql(self, statement: str, dbname: str = "postgres") -> str:
        """Run one statement with psql as the superuser; its output."""
        done = subprocess.run(
            [
                str(self.bin_dir / "psql"),
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                str(self.root),
                "-U",
                DB_USER,
                "-d",
                dbname,
                "-c",
                statement,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        return done.stdout.strip()

    def new_database(self, name: str) -> str:
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def free_port() -> int:
    """A loopback port nothing listens on now (the servers the tests and benchmarks start)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class MotoServer:
    """moto's standalone server (moto[server]) as a child process on 127.0.0.1: an offline
    stand-in for DynamoDB's API, not AWS itself."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)

    def url(self, table: str) -> str:
        return f"dynamodb://{table}?region=us-east-1&endpoint={self.endpoint}"

    @contextlib.contextmanager
    def frozen(self) -> Iterator[None]:
        """The server stops answering (SIGSTOP) until the block ends; its data is kept."""
        self.process.send_signal(signal.SIGSTOP)
        try:
            yield
        finally:
            self.process.send_signal(signal.SIGCONT)

    def remove(self) -> None:
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        self.process.wait(timeout=10)


# Credentials moto accepts; boto3 needs some to sign requests at all.
MOTO_ENV: Final = MappingProxyType(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
)
