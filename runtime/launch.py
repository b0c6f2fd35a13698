"""The one way tests, bench and deploy start the app: ``streamlit run`` on a free loopback port,
healthy before it is used, stopped cleanly; plus finding Chromium and nginx on this machine.

    with Server("app.py") as server:          # the app's own config (.streamlit/config.toml)
        urllib.request.urlopen(server.url)
    with Server("bench/floor_app.py", stock=True):   # Streamlit's defaults only

Nothing here imports streamlit: the server is a child process.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Self

__all__ = [
    "CHROMIUM_ARGS",
    "ROOT",
    "Server",
    "chromium_path",
    "cpu_seconds",
    "free_port",
    "healthy",
    "nginx_path",
    "streamlit_command",
]

ROOT = Path(__file__).resolve().parents[1]
#: Headless Chromium on this machine: no sandbox as root, no GPU, and none of the background
#: connections a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """$CHROMIUM, else Debian's /usr/bin/chromium, else whatever is on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def nginx_path() -> str | None:
    """$NGINX, else nginx on PATH, else Debian's /usr/sbin/nginx (not on a normal user's PATH)."""
    for candidate in (os.environ.get("NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """Does ``url``'s Streamlit answer ``ok`` on /_stcore/health?"""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.read().decode().strip() == "ok"
    except OSError:
        return False


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU time the processes have used so far (from /proc/PID/stat)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def streamlit_command(script: str, port: int, *flags: str) -> list[str]:
    """The server command the Dockerfile also runs (plus a port): headless, loopback only, no
    telemetry, no source watchers."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        *flags,
    ]


class Server:
    """``streamlit run`` on a free loopback port, healthy before ``__enter__`` returns.

    ``cwd`` decides the config: the repository root reads the app's ``.streamlit/config.toml``;
    ``stock=True`` copies the script to an empty temporary directory, so only Streamlit's
    defaults apply (what a user compares with). ``command`` replaces the whole command line
    (``{port}`` in it is replaced by the port), ``env`` adds environment variables; variables
    starting with ``STREAMLIT_`` are otherwise not inherited, so a caller's shell cannot change
    what is measured.
    """

    def __init__(
        self,
        script: str | Path = "app.py",
        *,
        cwd: Path = ROOT,
        stock: bool = False,
        flags: Sequence[str] = (),
        command: Sequence[str] | None = None,
        env: Mapping[str, str] | None = None,
        port: int | None = None,
        timeout: float = 60,
    ) -> None:
        self.script, self.cwd, self.stock, self.flags, self.timeout = (
            str(script),
            Path(cwd),
            stock,
            list(flags),
            timeout,
        )
        self.command, self.env = command, dict(env or {})
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.proc: subprocess.Popen | None = None

    def start(self) -> Self:
        """Start the process (without waiting for it to be healthy: see :meth:`wait`)."""
        cwd, script = self.cwd, self.script
        if self.stock:
            self._tmp = tempfile.TemporaryDirectory(prefix="stock-floor-")
            cwd = Path(self._tmp.name)
            script = shutil.copy(self.cwd / self.script, cwd / Path(self.script).name)
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
        env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")} | self.env
        if self.command is not None:
            cmd = [str(part).replace("{port}", str(self.port)) for part in self.command]
        else:
            cmd = streamlit_command(str(script), self.port, *self.flags)
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        return self

    def wait(self) -> Self:
        """Wait until /_stcore/health answers ok; stop the server and raise if it does not in time."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.output()}")
            if healthy(self.url):
                return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"streamlit did not become healthy in {self.timeout}s:\n{self.output()}")

    def __enter__(self) -> Self:
        return self.start().wait()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def rss_mb(self) -> float:
        """Resident memory of the server process, from /proc."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS in /proc status")

    def cpu_seconds(self) -> float:
        return cpu_seconds([self.proc.pid])

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def kill(self) -> None:
        """Kill the server at once (a replica dying under load)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)
        if self._tmp is not None:
            self._tmp.cleanup()
