"""N replicas of the app behind nginx on this machine, with the container's own command and nginx config.

    python -m deploy.local_cluster --replicas 3      # then open the printed URL; Ctrl+C stops it

What the replica test (tests/e2e/test_replicas.py) and ``bench/load.py --replicas`` run. Each
replica is the command and environment of deploy/Dockerfile's ``ENV`` and ``CMD`` lines, read from
that file, with the address and port moved to a free loopback port (``STREAMLIT_SERVER_ADDRESS``,
``STREAMLIT_SERVER_PORT``). nginx renders deploy/nginx/streamlit.conf.template, the file docker
compose also uses, into a temporary directory that holds its pid file, logs and temp paths, and
runs in the foreground as the current user. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from runtime.launch import Server, free_port, healthy, nginx_path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
TEMPLATE = DEPLOY / "nginx" / "streamlit.conf.template"
COOKIE = "stroute"

__all__ = ["COOKIE", "Cluster", "LogLine", "container_command", "nginx_path", "render_template"]


def _instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            pairs.append((word.upper(), rest.strip()))
    return pairs


def container_command(dockerfile: Path = DOCKERFILE) -> tuple[list[str], dict[str, str]]:
    """The Dockerfile's CMD (exec form) and the variables its ENV lines set."""
    env: dict[str, str] = {}
    cmd: list[str] | None = None
    for word, rest in _instructions(dockerfile):
        if word == "ENV":
            for token in shlex.split(rest):
                key, sep, value = token.partition("=")
                if not sep:
                    raise ValueError(f"ENV must use KEY=VALUE in {dockerfile}: {rest!r}")
                env[key] = value
        elif word == "CMD":
            try:
                cmd = json.loads(rest)
            except ValueError:
                raise ValueError(f"CMD must use the exec form [...] in {dockerfile}: {rest!r}") from None
    if not cmd:
        raise ValueError(f"no CMD [...] (exec form) in {dockerfile}")
    return cmd, env


def render_template(values: dict[str, str], template: Path = TEMPLATE) -> str:
    """Substitute ``${NAME}`` placeholders like the nginx image's envsubst step; refuse leftovers."""
    text = template.read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    left = sorted(set(re.findall(r"\$\{([A-Z_]+)\}", text)))
    if left:
        raise ValueError(f"no value for {left} in {template.name}")
    return text


@dataclass(frozen=True)
class LogLine:
    """One line of nginx's ``sticky`` access log."""

    request: str
    status: int
    upstream: str  # every replica nginx tried, "A, B" when A was down
    key: str

    @property
    def served_by(self) -> str:
        """The replica that answered: the last one tried."""
        return self.upstream.split(",")[-1].strip()

    @property
    def path(self) -> str:
        parts = self.request.split()
        return parts[1] if len(parts) > 1 else ""


LOG_LINE = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) \d+ upstream="(?P<upstream>[^"]*)" key=(?P<key>\S*)')


@dataclass
class Replica:
    server: Server

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.server.alive()

    def active_sessions(self) -> int:
        """Streamlit's own count of connected sessions (``/_stcore/metrics``, asked directly, not via nginx)."""
        with urllib.request.urlopen(f"{self.url}/_stcore/metrics?families=active_sessions", timeout=5) as r:
            text = r.read().decode()
        match = re.search(r"^active_sessions (\d+)", text, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"no active_sessions in the metrics of {self.url}:\n{text}")
        return int(match.group(1))


class Cluster:
    """``replicas`` app processes and one nginx in front, all on loopback; ``url`` is nginx."""

    def __init__(self, replicas: int = 3, *, app_dir: Path = ROOT, nginx: str | None = None, timeout: float = 90):
        if replicas < 1:
            raise ValueError(f"replicas must be at least 1, got {replicas}")
        self.n, self.app_dir, self.timeout = replicas, app_dir, timeout
        self.nginx = nginx or nginx_path()
        if self.nginx is None:
            raise FileNotFoundError("nginx is not installed (apt-get install -y nginx, or set $NGINX)")
        self.replicas: list[Replica] = []
        self.nginx_proc: subprocess.Popen | None = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    # -- lifecycle
    def __enter__(self) -> Self:
        self._tmp = tempfile.TemporaryDirectory(prefix="nginx-cluster-")
        self.dir = Path(self._tmp.name)
        try:
            self._start_replicas()
            self._start_nginx()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start_replicas(self) -> None:
        cmd, env = container_command()
        if cmd[0] == "streamlit":
            cmd = [sys.executable, "-m", "streamlit", *cmd[1:]]  # this interpreter's streamlit
        for _ in range(self.n):  # all start at once, then each is waited for (runtime.launch.Server)
            port_env = {"STREAMLIT_SERVER_ADDRESS": "127.0.0.1", "STREAMLIT_SERVER_PORT": "{port}"}
            server = Server(command=cmd, cwd=self.app_dir, env=env, timeout=self.timeout)
            server.env |= {k: v.replace("{port}", str(server.port)) for k, v in port_env.items()}
            self.replicas.append(Replica(server.start()))
        for r in self.replicas:
            r.server.wait()

    def _start_nginx(self) -> None:
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / sub).mkdir()
        servers = " ".join(f"server {r.address};" for r in self.replicas)
        (self.dir / "streamlit.conf").write_text(
            render_template(
                {"UPSTREAM_SERVERS": servers, "NGINX_PORT": f"127.0.0.1:{self.port}", "ACCESS_LOG": str(self.access)}
            )
        )
        # Only root may switch users; then the workers run as the user who started the test.
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        (self.dir / "nginx.conf").write_text(
            f"{user}worker_processes 1;\n"
            f"pid {self.dir}/nginx.pid;\n"
            f"error_log {self.dir}/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            + "".join(
                f"    {sub}_temp_path {self.dir}/{sub};\n"
                for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"    include {self.dir}/streamlit.conf;\n"
            "}\n"
        )
        base = [self.nginx, "-p", str(self.dir), "-e", str(self.dir / "error.log"), "-c", str(self.dir / "nginx.conf")]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejected the rendered config:\n{check.stderr}")
        with (self.dir / "nginx.out").open("w") as out:
            self.nginx_proc = subprocess.Popen([*base, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=out)
        self._wait("nginx", lambda: healthy(self.url), [])

    def _wait(self, what: str, ready, replicas: list[Replica]) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            dead = [r for r in replicas if not r.alive()]
            if dead or (self.nginx_proc is not None and self.nginx_proc.poll() is not None):
                raise RuntimeError(f"{what} exited early:\n{self.logs()}")
            if ready():
                return
            time.sleep(0.25)
        raise RuntimeError(f"{what} not healthy within {self.timeout}s:\n{self.logs()}")

    def __exit__(self, *exc) -> None:
        if self.nginx_proc is not None and self.nginx_proc.poll() is None:
            # Fast shutdown: a graceful one (SIGQUIT) would wait for every open websocket.
            self.nginx_proc.send_signal(signal.SIGTERM)
            try:
                self.nginx_proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx_proc.kill()
                self.nginx_proc.wait()
        for r in self.replicas:
            r.server.__exit__()
        self._tmp.cleanup()

    # -- inspection
    @property
    def access(self) -> Path:
        return self.dir / "access.log"

    def access_log(self) -> list[LogLine]:
        """Requests nginx has finished so far (a websocket is logged when it closes)."""
        if not self.access.exists():
            return []
        lines = []
        for raw in self.access.read_text().splitlines():
            m = LOG_LINE.search(raw)
            if m:
                lines.append(LogLine(m["request"], int(m["status"]), m["upstream"], m["key"]))
        return lines

    def replica_at(self, address: str) -> Replica:
        return next(r for r in self.replicas if r.address == address)

    def kill(self, replica: Replica) -> None:
        """SIGKILL: a crash, not a shutdown."""
        replica.server.kill()

    def logs(self) -> str:
        parts = [f"--- replica {r.address}\n{r.server.output()[-3000:]}" for r in self.replicas if r.server.proc]
        for path in sorted(self.dir.glob("*.log")) + sorted(self.dir.glob("*.out")):
            if path.name != "access.log":
                parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}")
        return "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replicas", type=int, default=3)
    args = ap.parse_args()
    with Cluster(args.replicas) as cluster:
        print(f"{args.replicas} replicas behind nginx: {cluster.url}  (Ctrl+C stops them)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while all(r.alive() for r in cluster.replicas):
                time.sleep(1)


if __name__ == "__main__":
    main()
