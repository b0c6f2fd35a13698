"""Virtual visitors over Streamlit's websocket protocol: the load generator that bench/load.py
prints tables with and the security tests attack a server with.

Each visitor does what a browser tab does, without the browser: it GETs the page (keeping any
cookie, so a sticky proxy routes it like a browser), opens ``ws://HOST/_stcore/stream`` with the
``streamlit`` subprotocol, asks for the page with its query string (``BackMsg.rerun_script``),
learns the sliders and number inputs from the deltas of that first run, and then moves them in a
seeded random walk of whole steps: each move sends the new widget value (and the URL the frontend
would show) and waits for ``script_finished``. Visitors are a closed loop with no think time, so
throughput is what the server sustains. Every loop is bounded by ``moves`` and by ``seconds``.

It keeps the frontend's message cache: cacheable messages are stored by hash, their hashes are
sent with every rerun, ``ref_hash`` messages are resolved from the store, and entries expire after
``maxCachedMessageAge`` finished runs, as in Streamlit's ``ForwardMessageCache``. So "bytes per
rerun" is what a browser really receives (websocket payload bytes, before permessage-deflate).

    from tests.support.loadgen import run_load, run_scenarios, Scenario
    stats = run_load("http://127.0.0.1:8501", "/pricing", "unit_cost=30", moves=50, visitors=20, seconds=20)

Only loopback servers are accepted: this is a benchmark, not a load-testing tool for other hosts.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import math
import multiprocessing
import queue
import random
import statistics
import sys
import threading
import time
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]

#: The README's scenarios: each page opened with a query string, moving these widgets.
PAGES = {
    "/pricing": ("unit_cost=30", ("price", "unit_cost", "demand_slope")),
    "/compounding": ("principal=20000", ("rate", "target_multiple", "target_years")),
}
#: The heaviest settings the work budget allows within one update (``--heavy``): the finder's range
#: tests and check are estimated at 2.00 CPU-seconds together (the cap is 2; cost model of
#: 2026-12-03, issue 19), and each formula's certified search at 1.5 CPU-seconds plus its analysis
#: in the server process. Each heavy visitor starts from its own seed or formula and only moves up
#: (``Scenario.fresh``), so no cache helps. (Before issue 19's refit: hidden=64, batch 16, 370
#: iterations, 5 runs, which the new model estimates at 0.52 s.)
HEAVY_FINDER = "hidden=108&batch_size=64&num_it=350&runs=6"
#: The heaviest background job the finder allows: 59.0 CPU-seconds estimated (the background cap
#: is 60), a long task of the pool.
HEAVY_FINDER_BACKGROUND = "hidden=124&layers=4&batch_size=256&num_it=500&runs=7"
HEAVY_FORMULAS = (
    "sin(40*x)*exp(-x/7) + cos(31*x)^3 + tanh(x-3)*sqrt(x+1)",
    "max(sin(23*x), cos(19*x))*log(x+2) + erf(x-5)*sin(29*x)^2",
    "sin(x)*cos(3*x)*sin(7*x)*cos(11*x)*sin(13*x)*exp(-x/10) + softplus(x-5)*sigmoid(2*x-7) + abs(sin(17*x))",
)
#: The light visitor of ``--heavy``: an ordinary /pricing visitor moving sliders.
LIGHT = ("/pricing", *PAGES["/pricing"])

#: The floor app (bench/floor_app.py) has one slider, keyed "x", on its only page.
FLOOR_PAGE, FLOOR_WIDGETS = "/", ("x",)

RUN_TIMEOUT_S = 60.0  # one rerun slower than this is an error and ends that visitor
OPEN_TIMEOUT_S = 60.0
__all__ = [
    "LoadStats",
    "MessageCache",
    "Scenario",
    "Visit",
    "heavy_scenarios",
    "run_load",
    "run_scenarios",
    "run_sync",
]

# --------------------------------------------------------------------------- protocol


def run_sync(coro):
    """``asyncio.run(coro)``, also from a thread whose event loop is already running (a test
    session where Playwright's sync API holds the main thread's loop): then in a fresh thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _protos():
    # Imported lazily: importing streamlit costs ~0.5 s, and --help should not pay it.
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


class CacheMiss(RuntimeError):
    """The server referred to a message this client never stored (a protocol bug)."""


class MessageCache:
    """The browser's ForwardMsg cache (frontend ``ForwardMessageCache``), byte for byte.

    ``process`` stores cacheable messages and resolves ``ref_hash`` references; ``finished_run``
    ages the entries after a successful run; ``hashes`` is what the next rerun request carries.
    """

    def __init__(self) -> None:
        self.messages: dict[str, list] = {}  # hash -> [payload, run count when last used, fragment id]
        self.run_count = 0
        self.hits = 0

    def process(self, msg, payload: bytes):
        if msg.WhichOneof("type") == "ref_hash":
            entry = self.messages.get(msg.ref_hash)
            if entry is None:
                raise CacheMiss(f"cached ForwardMsg miss for hash {msg.ref_hash}")
            entry[1] = self.run_count
            self.hits += 1
            _, ForwardMsg = _protos()
            full = ForwardMsg()
            full.ParseFromString(entry[0])
            full.metadata.CopyFrom(msg.metadata)
            return full
        if msg.metadata.cacheable and msg.hash:
            entry = self.messages.get(msg.hash)
            if entry is None:
                fragment = msg.delta.fragment_id if msg.WhichOneof("type") == "delta" else ""
                self.messages[msg.hash] = [payload, self.run_count, fragment]
            else:
                entry[1] = self.run_count
        return msg

    def finished_run(self, max_age: int, fragment_ids: Sequence[str] = ()) -> None:
        self.run_count += 1
        for key, (_, used, fragment) in list(self.messages.items()):
            if fragment_ids and (not fragment or fragment not in fragment_ids):
                continue
            if self.run_count - used > max_age:
                del self.messages[key]

    def hashes(self) -> list[str]:
        return list(self.messages)


@dataclass
class Widget:
    """A slider or number input seen in a run's deltas, with the value the browser holds."""

    id: str
    key: str
    kind: str  # "slider" | "number_input"
    lo: float
    hi: float
    step: float
    value: float
    is_int: bool
    query_param: str
    server_set: bool = False  # the delta carried a value to apply (set_value), not only a default

    def moved(self, rng: random.Random, up: bool = False) -> float:
        """A move of 1-5 steps in a random direction (``up``: always up, so no value comes back
        before the top of the range), reflected at the ends of the range."""
        span = (self.hi - self.lo) / self.step if self.step > 0 else 0
        if span < 1:
            return self.value
        k = rng.randint(1, min(5, max(1, int(span))))
        new = self.value + (1 if up else rng.choice((-1, 1))) * k * self.step
        if new > self.hi or new < self.lo:
            new = self.value - (new - self.value)
        new = min(self.hi, max(self.lo, new))
        return float(round(new)) if self.is_int else round(new, 10)

    def state(self, ws_proto) -> None:
        ws_proto.id = self.id
        if self.kind == "slider":
            ws_proto.double_array_value.data.append(self.value)
        elif self.is_int:
            ws_proto.int_value = int(self.value)
        else:
            ws_proto.double_value = self.value

    def url_value(self) -> str:
        v = self.value
        return str(int(v)) if float(v).is_integer() else repr(float(v))


def _widget_from(element) -> Widget | None:
    kind = element.WhichOneof("type")
    if kind == "slider":
        s = element.slider
        if s.type == s.SELECT_SLIDER or s.data_type not in (s.INT, s.FLOAT) or len(s.default) != 1 or s.disabled:
            return None
        server_set = s.set_value and len(s.value) == 1
        value = s.value[0] if server_set else s.default[0]
        is_int = s.data_type == s.INT
        return Widget(s.id, _user_key(s.id), kind, s.min, s.max, s.step, value, is_int, s.query_param_key, server_set)
    if kind == "number_input":
        n = element.number_input
        if n.disabled or not (n.has_min and n.has_max):
            return None
        value = n.value if n.set_value else n.default
        step = n.step or (1.0 if n.data_type == n.INT else 0.01)
        is_int = n.data_type == n.INT
        return Widget(n.id, _user_key(n.id), kind, n.min, n.max, step, value, is_int, n.query_param_key, n.set_value)
    return None


def _user_key(widget_id: str) -> str:
    # Streamlit ends the id of a keyed widget with its key: "$$ID-<hash>-<key>".
    return widget_id.split("-", 2)[2] if widget_id.startswith("$$ID-") and widget_id.count("-") >= 2 else ""


@dataclass
class RunResult:
    """One rerun as the visitor saw it."""

    seconds: float
    bytes_in: int
    bytes_out: int
    messages: int
    ok: bool
    exceptions: int = 0


def _assert_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"bench/load.py only sends load to loopback servers, got {url!r}")


class Visit:
    """One browser tab on one page: ``open()`` loads it, ``move()`` reruns it, ``close()`` leaves."""

    def __init__(self, base_url: str, page: str = "/", query: str = "") -> None:
        _assert_loopback(base_url)
        self.base_url = base_url.rstrip("/")
        self.page = "/" + page.strip("/")
        self.query = query.lstrip("?")
        self.cache = MessageCache()
        self.widgets: dict[str, Widget] = {}
        self.page_script_hash = ""
        self.max_age = 2
        self.cookies: dict[str, str] = {}
        self.ws = None
        self.first_load: RunResult | None = None
        #: The elements the last run drew (``new_element`` deltas, in order), for tests that read the page.
        self.elements: list = []
        #: Widget states sent with every rerun besides the sliders' (``set_state``): id -> (field, value).
        self.extra_states: dict[str, tuple[str, object]] = {}

    # The first HTTP request is what a browser makes for the HTML. It carries the sticky
    # cookie a proxy sets; the websocket then sends it back.
    def _get_page(self) -> None:
        url = self.base_url + self.page + (f"?{self.query}" if self.query else "")
        with urllib.request.urlopen(url, timeout=OPEN_TIMEOUT_S) as r:
            r.read()
            for header in r.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                self.cookies.update({k: m.value for k, m in jar.items()})

    async def open(self) -> RunResult:
        from websockets.asyncio.client import connect

        await asyncio.to_thread(self._get_page)
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        self.ws = await asyncio.wait_for(
            # A browser sends no websocket pings (the server pings it), so neither does a visitor.
            connect(ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None, ping_interval=None),
            OPEN_TIMEOUT_S,
        )
        self.first_load = await self._rerun(page_name=self.page.strip("/"))
        return self.first_load

    async def move(self, rng: random.Random, keys: Iterable[str] | None = None, up: bool = False) -> RunResult:
        """Move one widget (chosen from ``keys``, else from all of them; ``up``: upwards only) and
        wait for the rerun."""
        candidates = [w for w in self.widgets.values() if keys is None or w.key in keys]
        if not candidates:
            raise LookupError(f"no movable slider or number input {sorted(keys or [])} on {self.page}")
        widget = rng.choice(sorted(candidates, key=lambda w: w.key))
        widget.value = widget.moved(rng, up)
        if widget.query_param:
            params = dict(parse_qsl(self.query, keep_blank_values=True))
            params[widget.query_param] = widget.url_value()
            self.query = urlencode(params)
        return await self._rerun()

    async def _rerun(self, page_name: str = "") -> RunResult:
        BackMsg, ForwardMsg = _protos()
        back = BackMsg()
        rs = back.rerun_script
        rs.query_string = self.query
        rs.page_script_hash = self.page_script_hash
        rs.page_name = page_name
        for w in self.widgets.values():
            w.state(rs.widget_states.widgets.add())
        for widget_id, (kind, value) in self.extra_states.items():
            ws_proto = rs.widget_states.widgets.add()
            ws_proto.id = widget_id
            setattr(ws_proto, kind, value)
        rs.cached_message_hashes.extend(self.cache.hashes())
        out = back.SerializeToString()
        t0 = time.perf_counter()
        await self.ws.send(out)
        bytes_in = messages = exceptions = 0
        new_session = False
        seen: dict[str, Widget] = {}
        self.elements = []
        while True:
            payload = await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT_S)
            bytes_in += len(payload)
            messages += 1
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            msg = self.cache.process(msg, payload)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                new_session = True
                self.page_script_hash = msg.new_session.page_script_hash
                self.max_age = msg.new_session.config.max_cached_message_age or self.max_age
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                self.elements.append(element)
                if element.WhichOneof("type") == "exception":
                    exceptions += 1
                w = _widget_from(element)
                if w is not None:
                    old = self.widgets.get(w.id)
                    if old is not None and not w.server_set:
                        w.value = old.value  # the browser keeps what it holds unless the server sets it
                    seen[w.id] = w
            elif kind == "navigation" and msg.navigation.page_script_hash:
                # With st.navigation the page that ran is named here; new_session names app.py.
                self.page_script_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                done = time.perf_counter() - t0
                good = status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
                if good and new_session and msg.metadata.HasField("run"):
                    self.cache.finished_run(self.max_age, list(msg.metadata.run.fragment_ids))
                if good and seen:
                    self.widgets = seen
                return RunResult(done, bytes_in, len(out), messages, good and not exceptions, exceptions)

    async def rerun(self) -> RunResult:
        """Rerun the page with the same widget values (a browser's "Rerun")."""
        return await self._rerun()

    async def set_state(self, widget_id: str, kind: str, value) -> RunResult:
        """Send any widget's state as a browser would (``kind`` is a WidgetState field, e.g.
        ``"string_value"`` for a data editor's edits) with the next rerun, and wait for it."""
        self.extra_states[widget_id] = (kind, value)
        return await self._rerun()

    async def clear_cache(self) -> None:
        """Send Streamlit's ``clear_cache`` BackMsg (the menu's "Clear cache"); the server does not reply."""
        BackMsg, _ = _protos()
        back = BackMsg()
        back.clear_cache = True
        await self.ws.send(back.SerializeToString())

    def texts(self) -> list[str]:
        """Every alert, markdown and metric of the last run as text (metrics as "label: value")."""
        out = []
        for e in self.elements:
            kind = e.WhichOneof("type")
            if kind in ("alert", "markdown"):
                out.append(getattr(e, kind).body)
            elif kind == "metric":
                out.append(f"{e.metric.label}: {e.metric.body}")
        return out

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None


# --------------------------------------------------------------------------- load


@dataclass(frozen=True)
class Scenario:
    """``visitors`` tabs on ``page?query``, each making at most ``moves`` moves of ``widgets``.

    ``fresh``: widgets only move up, so a visitor never asks for the same values twice and the
    server's caches cannot help (heavy visitors with distinct seeds). ``clear_cache``: the visitor
    sends Streamlit's ``clear_cache`` message before every move (anyone can). ``patient=False``:
    when the time is up the visitor leaves at once instead of waiting for the rerun it asked for
    (that rerun is not counted), which bounds the wall time of a run with slow heavy visitors.
    """

    page: str
    query: str = ""
    visitors: int = 1
    moves: int = 1000
    widgets: tuple[str, ...] | None = None
    label: str = ""
    seed: int = 0
    fresh: bool = False
    clear_cache: bool = False
    patient: bool = True

    @property
    def name(self) -> str:
        return self.label or self.page


@dataclass(frozen=True)
class LoadStats:
    """What one scenario's visitors measured. Latencies are reruns after the first page load."""

    label: str
    visitors: int
    reruns: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    throughput: float  # reruns per second, all visitors of this scenario together
    bytes_per_rerun: float  # websocket payload bytes received per rerun
    bytes_sent_per_rerun: float
    messages_per_rerun: float
    first_load_ms: float  # median time to the end of the first run of the page
    cache_hits: int
    client_cpu_ms_per_rerun: float  # the client processes' own CPU (they share the machine with the server)
    latencies_ms: list[float] = field(repr=False, default_factory=list)

    def row(self) -> dict:
        d = asdict(self)
        d.pop("latencies_ms")
        return d


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)  # nearest rank: the smallest value with at least q% of values at or below it
    return s[min(len(s), max(1, math.ceil(q / 100 * len(s)))) - 1]


@dataclass
class _Tally:
    first: list[RunResult] = field(default_factory=list)
    runs: list[RunResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hits: int = 0
    end: float = 0.0  # time.monotonic(): comparable across the client processes

    def merge(self, other: _Tally) -> None:
        self.first += other.first
        self.runs += other.runs
        self.errors += other.errors
        self.hits += other.hits
        self.end = max(self.end, other.end)


class _Gate:
    """Starts the clock once every visitor of every scenario, in every client process, has loaded
    its page (or failed to)."""

    def __init__(self, expected: int, seconds: float, barrier=None) -> None:
        self.expected, self.seconds, self.barrier, self.arrived_count = expected, seconds, barrier, 0
        self.started = asyncio.Event()
        self.t0, self.stop_at = 0.0, float("inf")

    async def arrive(self) -> None:
        self.arrived_count += 1
        if self.arrived_count == self.expected:
            if self.barrier is not None:  # the other client processes
                with contextlib.suppress(threading.BrokenBarrierError):
                    await asyncio.to_thread(self.barrier.wait, 2 * OPEN_TIMEOUT_S)
            self.t0 = time.monotonic()
            self.stop_at = self.t0 + self.seconds
            self.started.set()


async def _visitor(base_url: str, sc: Scenario, index: int, gate: _Gate, tally: _Tally) -> None:
    rng = random.Random(f"{sc.seed}-{sc.name}-{index}")
    visit = Visit(base_url, sc.page, sc.query)
    try:
        try:
            tally.first.append(await visit.open())
        finally:
            await gate.arrive()
        await gate.started.wait()
        for _ in range(sc.moves):
            if time.monotonic() >= gate.stop_at:
                break
            if sc.clear_cache:
                await visit.clear_cache()
            if sc.patient:
                r = await visit.move(rng, sc.widgets, up=sc.fresh)
            else:
                try:
                    left = max(0.01, gate.stop_at - time.monotonic())
                    r = await asyncio.wait_for(visit.move(rng, sc.widgets, up=sc.fresh), left)
                except TimeoutError:
                    break  # the time is up: leave without the answer
            tally.runs.append(r)
            if not r.ok:
                tally.errors.append(f"{r.exceptions} exception(s) in a rerun" if r.exceptions else "a rerun failed")
    except Exception as exc:  # noqa: BLE001 - whatever ends a visitor is counted and reported
        tally.errors.append(repr(exc))
    finally:
        if gate.started.is_set():
            tally.end = max(tally.end, time.monotonic())
        tally.hits += visit.cache.hits
        with contextlib.suppress(Exception):
            await visit.close()


async def _run_part(base_url, scenarios, assigned, seconds, barrier=None) -> tuple[dict[str, _Tally], float, float]:
    """This process's share of the visitors: ``assigned`` is a list of (scenario index, visitor index)."""
    gate = _Gate(len(assigned), seconds, barrier)
    tallies = {sc.name: _Tally() for sc in scenarios}
    cpu0 = time.process_time()
    tasks = [_visitor(base_url, scenarios[k], i, gate, tallies[scenarios[k].name]) for k, i in assigned]
    await asyncio.wait_for(asyncio.gather(*tasks), seconds + 2 * OPEN_TIMEOUT_S + 2 * RUN_TIMEOUT_S)
    return tallies, gate.t0, time.process_time() - cpu0


def _client_process(base_url, scenarios, assigned, seconds, barrier, results) -> None:
    results.put(asyncio.run(_run_part(base_url, scenarios, assigned, seconds, barrier)))


def _stats(scenarios: Sequence[Scenario], tallies: dict[str, _Tally], t0: float, cpu_s: float) -> dict[str, LoadStats]:
    total_runs = max(1, sum(len(t.runs) + len(t.first) for t in tallies.values()))
    stats = {}
    for sc in scenarios:
        t = tallies[sc.name]
        lat = [r.seconds * 1000 for r in t.runs]
        window = max(1e-9, (t.end or t0) - t0)
        n = max(1, len(t.runs))
        stats[sc.name] = LoadStats(
            label=sc.name,
            visitors=sc.visitors,
            reruns=len(t.runs),
            errors=len(t.errors),
            seconds=round(window, 2),
            p50_ms=round(statistics.median(lat), 1) if lat else float("nan"),
            p95_ms=round(_percentile(lat, 95), 1),
            max_ms=round(max(lat), 1) if lat else float("nan"),
            throughput=round(len(t.runs) / window, 2),
            bytes_per_rerun=round(sum(r.bytes_in for r in t.runs) / n),
            bytes_sent_per_rerun=round(sum(r.bytes_out for r in t.runs) / n),
            messages_per_rerun=round(sum(r.messages for r in t.runs) / n, 1),
            first_load_ms=round(statistics.median(r.seconds for r in t.first) * 1000, 1) if t.first else float("nan"),
            cache_hits=t.hits,
            client_cpu_ms_per_rerun=round(cpu_s * 1000 / total_runs, 1),
            latencies_ms=lat,
        )
        if t.errors:
            print(f"  {sc.name}: {len(t.errors)} error(s), first: {t.errors[0]}", file=sys.stderr)
    return stats


def default_processes(visitors: int) -> int:
    """One client process per 5 visitors, at most 4: on a busy machine a single process's share
    of the CPU, not the server, would cap the throughput it can measure."""
    return max(1, min(4, visitors // 5))


def run_scenarios(
    base_url: str, scenarios: Sequence[Scenario], seconds: float = 20, processes: int | None = None
) -> dict[str, LoadStats]:
    """Run several groups of visitors at once against one server; stats per scenario label.

    The clock starts when every visitor has loaded its page, and each visitor stops after its
    ``moves`` or after ``seconds``, whichever comes first. Visitors are spread over ``processes``
    client processes (default: ``default_processes``), which start their clocks together; they are
    spawned, so call this from a script or a module, not from code piped into ``python -``.
    """
    names = [sc.name for sc in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario labels must differ, got {names}")
    if seconds <= 0 or any(sc.visitors < 1 or sc.moves < 1 for sc in scenarios):
        raise ValueError("seconds, visitors and moves must be positive")
    _assert_loopback(base_url)
    everyone = [(k, i) for k, sc in enumerate(scenarios) for i in range(sc.visitors)]
    n = max(1, min(len(everyone), processes or default_processes(len(everyone))))
    if n == 1:
        tallies, t0, cpu = run_sync(_run_part(base_url, scenarios, everyone, seconds))
        return _stats(scenarios, tallies, t0, cpu)

    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [
        ctx.Process(target=_client_process, args=(base_url, list(scenarios), everyone[j::n], seconds, barrier, results))
        for j in range(n)
    ]
    for p in procs:
        p.start()
    parts = []
    deadline = time.monotonic() + seconds + 3 * OPEN_TIMEOUT_S + 2 * RUN_TIMEOUT_S
    try:
        while len(parts) < n:
            try:
                parts.append(results.get(timeout=1))
            except queue.Empty:
                dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
                if dead or time.monotonic() > deadline:
                    raise RuntimeError(f"a load client process failed (exit codes {dead})") from None
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
    tallies = {sc.name: _Tally() for sc in scenarios}
    for part, _, _ in parts:
        for name, t in part.items():
            tallies[name].merge(t)
    return _stats(scenarios, tallies, min(t0 for _, t0, _ in parts), sum(cpu for _, _, cpu in parts))


def heavy_scenarios(heavy: int = 10, light: int = 2, clear_cache: bool = False, patient: bool = True) -> list[Scenario]:
    """``light`` ordinary /pricing visitors (label "light") and ``heavy`` visitors at the heaviest
    allowed settings, half on /lr-finder moving the seed, half on /custom moving the interval's
    upper end (labels "heavy finder k" / "heavy formula k"), each on its own seed or formula and
    moving up only, so every rerun is new work. ``clear_cache``: one more visitor on /pricing
    sends ``clear_cache`` before every move (label "clear_cache"). ``patient=False``: the heavy
    visitors leave when the time is up instead of waiting for their last rerun."""
    out = [Scenario(LIGHT[0], LIGHT[1], light, widgets=LIGHT[2], label="light")] if light else []
    for k in range(heavy):
        if k % 2 == 0:
            query = f"{HEAVY_FINDER}&seed={1000 * (k + 1)}"
            out.append(
                Scenario("/lr-finder", query, widgets=("seed",), label=f"heavy finder {k}", fresh=True, patient=patient)
            )
        else:
            formula = HEAVY_FORMULAS[(k // 2) % len(HEAVY_FORMULAS)]
            query = urlencode({"f": formula, "lo": 0, "hi": 10 + k, "goal": "min"})
            out.append(
                Scenario("/custom", query, widgets=("hi",), label=f"heavy formula {k}", fresh=True, patient=patient)
            )
    if clear_cache:
        out.append(Scenario(LIGHT[0], LIGHT[1], widgets=LIGHT[2], label="clear_cache", clear_cache=True))
    return out


def run_load(
    url: str,
    page: str = "/",
    query: str = "",
    moves: int = 1000,
    visitors: int = 1,
    seconds: float = 20,
    widgets: Sequence[str] | None = None,
    seed: int = 0,
    processes: int | None = None,
) -> LoadStats:
    """``visitors`` closed-loop visitors on ``page?query`` for at most ``moves`` moves or ``seconds``.

    Returns p50/p95 rerun latency, throughput (reruns/s) and bytes per rerun; see ``LoadStats``.
    """
    sc = Scenario(page, query, visitors, moves, tuple(widgets) if widgets else None, seed=seed)
    return run_scenarios(url, [sc], seconds, processes)[sc.name]
