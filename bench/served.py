"""Sections 2, 3 and 5: the skill under gunicorn on 127.0.0.1, loaded by wrk; cold start; RSS.

Only this machine is ever a target: the server binds 127.0.0.1 on a free port, wrk runs for a
fixed time, and every process started here is stopped here, by its own process id.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bench.common import ALEXA_PATH, BARE_BODIES_ENV, Signed
from skill.devtools.devdb import free_port

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent
READY_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 15.0
WRK_TIMEOUT = "2s"
P99_TARGET_MS = 10.0
COLD_START_TARGET_S = 1.5

_RESULT_MARK = "BENCH-RESULT"
_DONE = f"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("{_RESULT_MARK} %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def _lua_string(text: str) -> str:
    """`text` as a Lua long-bracket string, with a level that cannot occur inside it."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def _lua_table(headers: Mapping[str, str]) -> str:
    return (
        "{"
        + ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items())
        + "}"
    )


def wrk_script(path: str, requests: Sequence[Signed]) -> str:
    """A wrk script posting `requests` to `path` in turn (pre-signed; see bench.common.sign)."""
    lines = ["local requests = {}"]
    for index, signed in enumerate(requests, 1):
        lines.append(
            f"requests[{index}] = wrk.format('POST', {_lua_string(path)}, "
            f"{_lua_table(signed.headers)}, {_lua_string(signed.body.decode())})"
        )
    lines += [
        "local i = 0",
        "function request()",
        "  i = i % #requests + 1",
        "  return requests[i]",
        "end",
    ]
    return "\n".join(lines) + _DONE


@dataclass(frozen=True)
class Load:
    """One wrk run."""

    target: str
    connections: int
    requests: int
    seconds: float
    errors: int
    status_errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def run_wrk(
    port: int, path: str, requests: Sequence[Signed], connections: int, seconds: int, workdir: Path
) -> Load:
    script = workdir / f"wrk-{connections}-{path.strip('/').replace('/', '-')}.lua"
    script.write_text(wrk_script(path, requests), "utf-8")
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        WRK_TIMEOUT,
        "--script",
        str(script),
        f"http://{HOST}:{port}{path}",
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    mark = [line for line in done.stdout.splitlines() if line.startswith(_RESULT_MARK)]
    if done.returncode != 0 or not mark:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    count, micros, connect, read, write, status, timeout, p50, p99, top = (
        float(value) for value in mark[0].split()[1:]
    )
    return Load(
        target=path,
        connections=connections,
        requests=int(count),
        seconds=micros / 1e6,
        errors=int(connect + read + write + status + timeout),
        status_errors=int(status),
        p50_ms=p50 / 1000,
        p99_ms=p99 / 1000,
        max_ms=top / 1000,
    )


class Server:
    """`python -m bench.server` in its own process; stop() ends it and its workers."""

    def __init__(
        self,
        workdir: Path,
        bare_bodies: Path | None = None,
        workers: int = 0,
        extra: Sequence[str] = (),
    ) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.log_path = workdir / f"server-{self.port}.log"
        env = dict(os.environ)
        if bare_bodies is not None:
            env[BARE_BODIES_ENV] = str(bare_bodies)
        command = [
            sys.executable,
            "-m",
            "bench.server",
            "--port",
            str(self.port),
            "--workdir",
            str(workdir),
        ]
        if workers:
            command += ["--workers", str(workers)]
        command += list(extra)
        self._log: IO[bytes] = self.log_path.open("wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def post(self, path: str, signed: Signed, timeout: float = 5.0) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request("POST", path, body=signed.body, headers=signed.headers)
            reply = connection.getresponse()
            return reply.status, reply.read()
        finally:
            connection.close()

    def first_200(self, path: str, signed: Signed) -> float:
        """Seconds from process start until `path` first answers 200."""
        deadline = self.started + READY_TIMEOUT_SECONDS
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log_path}")
            try:
                status, body = self.post(path, signed, timeout=2.0)
            except OSError:
                time.sleep(0.002)
                continue
            if status == 200:
                return time.perf_counter() - self.started
            raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
        raise RuntimeError(f"no answer within {READY_TIMEOUT_SECONDS} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        workers = self.worker_pids()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown
            try:
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        for pid in workers:  # only ever our own workers, by id, should any outlive the master
            if Path(f"/proc/{pid}").exists() and _parent(pid) in (self.process.pid, 1):
                os.kill(pid, signal.SIGKILL)
        self._log.close()


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1
    return int(stat.rsplit(")", 1)[1].split()[1])


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (peak resident) of a process, in KiB."""
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def check_tools() -> list[str]:
    return [tool for tool in ("wrk",) if shutil.which(tool) is None]


@dataclass(frozen=True)
class HttpResult:
    loads: list[Load]
    cold_starts: list[float]
    workers: dict[int, dict[str, int]]
    unsigned_status: int


def run(
    workdir: Path,
    launch: Signed,
    resign: Any,
    bare_bodies: Mapping[str, bytes],
    seconds: int,
    cold_runs: int,
) -> HttpResult:
    """Cold starts, then one server: wrk at 1 and 16 connections on /alexa and the bare route.

    `resign()` returns the launch request signed afresh, so every wrk run starts with a timestamp
    well inside the 150 seconds the skill accepts.
    """
    bodies = workdir / "bare-bodies.json"
    bodies.write_text(json.dumps({k: v.decode() for k, v in bare_bodies.items()}), "utf-8")

    cold_starts = []
    for _ in range(cold_runs):
        server = Server(workdir, bodies)
        try:
            cold_starts.append(server.first_200(ALEXA_PATH, resign()))
        finally:
            server.stop()

    server = Server(workdir, bodies)
    try:
        server.first_200(ALEXA_PATH, resign())
        unsigned = Signed(launch.body, {"Content-Type": "application/json"})
        unsigned_status, _ = server.post(ALEXA_PATH, unsigned)
        # Warm every worker (first request per process fetches and checks the chain).
        run_wrk(server.port, ALEXA_PATH, [resign()], 4, 2, workdir)
        loads = []
        for connections in (1, 16):
            loads.append(
                run_wrk(server.port, ALEXA_PATH, [resign()], connections, seconds, workdir)
            )
            loads.append(
                run_wrk(server.port, "/bare/launch", [resign()], connections, seconds, workdir)
            )
        workers = {pid: memory_kib(pid) for pid in server.worker_pids()}
    finally:
        server.stop()
    return HttpResult(loads, cold_starts, workers, unsigned_status)
