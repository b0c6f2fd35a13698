"""Virtual visitors over Streamlit's websocket protocol: rerun latency, throughput and bytes under load.

    python bench/load.py                                   # the README table: /pricing and /compounding,
                                                           # 1, 5 and 20 visitors, against both floors
    python bench/load.py --page /pricing --visitors 20 --seconds 20
    python bench/load.py --page /custom --widgets lo hi --visitors 5
    python bench/load.py --replicas 1 3                    # through nginx (deploy/), 1 vs 3 replicas
    python bench/load.py --heavy                           # 2 /pricing visitors alone, then beside 10
                                                           # heavy /lr-finder and /custom visitors
    python bench/load.py --url http://127.0.0.1:8501 --page /pricing   # a server you started (loopback only)
    python bench/load.py --visitors 20 --baseline ../old   # and the same pages from another checkout,
                                                           # in the same interleaved rounds

Each visitor is a browser tab without the browser, speaking Streamlit's websocket protocol and keeping
the frontend's message cache (tests/support/loadgen.py says how).
Servers start through runtime/launch.py.
Only loopback servers are accepted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `python bench/load.py` from the root

from runtime.launch import ROOT, Server, cpu_seconds
from tests.support.loadgen import (
    FLOOR_PAGE,
    FLOOR_WIDGETS,
    PAGES,
    LoadStats,
    _percentile,
    heavy_scenarios,
    run_load,
    run_scenarios,
)

# --------------------------------------------------------------------------- CLI


def _fmt_row(target: str, st: LoadStats, floor: LoadStats | None, cpu_ms: float | None = None) -> str:
    ratio = f"{st.throughput / floor.throughput:.2f}×" if floor and floor.throughput else "—"
    cpu = f"{cpu_ms:.0f} ms" if cpu_ms is not None else "—"
    return (
        f"| {target} | {st.visitors} | {st.p50_ms:.0f} ms | {st.p95_ms:.0f} ms | {st.throughput:.1f} | "
        f"{ratio} | {cpu} | {st.bytes_per_rerun / 1024:.1f} KB | {st.reruns} | {st.errors} |"
    )


HEADER = (
    "| target | visitors | p50 | p95 | reruns/s | vs stock floor | server CPU per run | bytes/rerun | reruns | errors |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def _median_stats(runs: list[LoadStats]) -> LoadStats:
    """The round with the median throughput (a real round, so its numbers belong together)."""
    return sorted(runs, key=lambda s: s.throughput)[len(runs) // 2]


def _merged(label: str, parts: Sequence[LoadStats]) -> LoadStats:
    """Several scenarios' visitors as one row (latencies pooled, throughputs added)."""
    lat = [x for st in parts for x in st.latencies_ms]
    reruns = sum(st.reruns for st in parts)
    return LoadStats(
        label=label,
        visitors=sum(st.visitors for st in parts),
        reruns=reruns,
        errors=sum(st.errors for st in parts),
        seconds=max(st.seconds for st in parts),
        p50_ms=round(statistics.median(lat), 1) if lat else float("nan"),
        p95_ms=round(_percentile(lat, 95), 1),
        max_ms=round(max(lat), 1) if lat else float("nan"),
        throughput=round(sum(st.throughput for st in parts), 2),
        bytes_per_rerun=round(sum(st.bytes_per_rerun * st.reruns for st in parts) / max(1, reruns)),
        bytes_sent_per_rerun=round(sum(st.bytes_sent_per_rerun * st.reruns for st in parts) / max(1, reruns)),
        messages_per_rerun=round(sum(st.messages_per_rerun * st.reruns for st in parts) / max(1, reruns), 1),
        first_load_ms=statistics.median(st.first_load_ms for st in parts),
        cache_hits=sum(st.cache_hits for st in parts),
        client_cpu_ms_per_rerun=parts[0].client_cpu_ms_per_rerun,
        latencies_ms=lat,
    )


HEAVY_HEADER = "| visitors | count | p50 | p95 | max | reruns/s | errors |\n| --- | --- | --- | --- | --- | --- | --- |"


def heavy_table(heavy: int = 10, seconds: float = 20, rounds: int = 3, url: str | None = None) -> list[dict]:
    """Print the README's heavy-vs-light table: the light /pricing visitors alone and beside
    ``heavy`` heavy visitors (see :func:`heavy_scenarios`), ``rounds`` times alternately on one
    server; the round with the median light p95 of each kind is shown, and the ratio."""
    with contextlib.ExitStack() as stack:
        if url is None:
            url = stack.enter_context(Server("app.py")).url
        for page in ("/pricing", "/lr-finder", "/custom"):  # first runs import everything
            run_load(url, page, "", 2, 1, 10)
        alone_runs, loaded_runs = [], []
        for _ in range(rounds):
            alone_runs.append(run_scenarios(url, heavy_scenarios(0, 2), seconds)["light"])
            loaded_runs.append(run_scenarios(url, heavy_scenarios(heavy, 2, clear_cache=True), seconds))
    alone = sorted(alone_runs, key=lambda st: st.p95_ms)[len(alone_runs) // 2]
    loaded = sorted(loaded_runs, key=lambda r: r["light"].p95_ms)[len(loaded_runs) // 2]
    rows = [
        ("2 × /pricing, alone", alone),
        (f"2 × /pricing, beside {heavy} heavy visitors", loaded["light"]),
        (
            "heaviest allowed /lr-finder, fresh seeds",
            _merged("finder", [st for k, st in loaded.items() if k.startswith("heavy finder")]),
        ),
        (
            "heavy /custom formulas, fresh intervals",
            _merged("formula", [st for k, st in loaded.items() if k.startswith("heavy formula")]),
        ),
        ("/pricing sending clear_cache before every move", loaded["clear_cache"]),
    ]
    print(HEAVY_HEADER)
    out = []
    for name, st in rows:
        if not st.visitors:
            continue
        print(
            f"| {name} | {st.visitors} | {st.p50_ms:.0f} ms | {st.p95_ms:.0f} ms | {st.max_ms:.0f} ms | "
            f"{st.throughput:.1f} | {st.errors} |",
            flush=True,
        )
        out.append({"row": name, **st.row()})
    ratio = loaded["light"].p95_ms / alone.p95_ms if alone.p95_ms else float("nan")
    print(f"\nlight p95 beside heavy visitors / alone: {ratio:.2f}× (median of {rounds} rounds each, same server)")
    print("light p95 per round, alone:", [st.p95_ms for st in alone_runs])
    print("light p95 per round, loaded:", [r["light"].p95_ms for r in loaded_runs])
    return out


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page", action="append", help="page path (repeatable); default: /pricing and /compounding")
    ap.add_argument("--query", help="query string for --page (default: the README scenario's)")
    ap.add_argument("--widgets", nargs="+", help="keys of the sliders/number inputs to move (default: the scenario's)")
    ap.add_argument("--visitors", type=int, nargs="+", default=[1, 5, 20])
    ap.add_argument("--seconds", type=float, default=15, help="time bound per measurement")
    ap.add_argument("--moves", type=int, default=400, help="move bound per visitor")
    ap.add_argument(
        "--rounds", type=int, default=3, help="rounds, interleaved over the targets; the median-throughput one is kept"
    )
    ap.add_argument("--url", help="measure this already-running loopback server instead of starting servers")
    ap.add_argument("--replicas", type=int, nargs="+", help="through nginx (deploy/): e.g. --replicas 1 3")
    ap.add_argument("--no-floor", action="store_true", help="skip the two floor apps")
    ap.add_argument("--json", help="also write all rows to this file")
    ap.add_argument(
        "--baseline",
        type=Path,
        help="another checkout of the app (e.g. git worktree add ../old main): its pages join the same rounds",
    )
    ap.add_argument(
        "--heavy",
        type=int,
        nargs="?",
        const=10,
        metavar="N",
        help="heavy vs light: 2 /pricing visitors alone, then beside N (10) visitors at the heaviest allowed "
        "/lr-finder and /custom settings and one sending clear_cache; --seconds, --rounds and --url apply",
    )
    args = ap.parse_args(argv)
    if args.heavy is not None:
        rows = heavy_table(args.heavy, args.seconds, args.rounds, args.url)
        if args.json:
            Path(args.json).write_text(json.dumps(rows, indent=2))
        return

    pages = args.page or list(PAGES)
    rows: list[dict] = []

    def scenario(page: str) -> tuple[str, tuple[str, ...] | None]:
        query, widgets = PAGES.get(page, ("", None))
        return (args.query if args.query is not None else query), (tuple(args.widgets) if args.widgets else widgets)

    cpu_per_run: dict[str, float] = {}

    def interleaved(targets: list[tuple], visitors: int) -> dict[str, LoadStats]:
        """Each (name, url, page, query, widgets, server pids) in turn, round after round, so machine
        noise spreads over all of them; per target the round with the median throughput. Also the
        servers' CPU time per run (reruns and first loads), which contention on a shared machine
        disturbs much less than latency or throughput."""
        runs: dict[str, list[LoadStats]] = {t[0]: [] for t in targets}
        cpu: dict[str, list[float]] = {t[0]: [] for t in targets}
        for r in range(args.rounds):
            for name, url, page, query, widgets, pids in targets:
                before = cpu_seconds(pids) if pids else 0.0
                st = run_load(url, page, query, args.moves, visitors, args.seconds, widgets, seed=r)
                runs[name].append(st)
                if pids:
                    cpu[name].append((cpu_seconds(pids) - before) * 1000 / max(1, st.reruns + st.visitors))
        for name, values in cpu.items():
            if values:
                cpu_per_run[name] = statistics.median(values)
        return {name: _median_stats(v) for name, v in runs.items()}

    with contextlib.ExitStack() as stack:
        if args.replicas:
            from deploy.local_cluster import Cluster

            # All clusters up at once (idle replicas cost nothing), measured in turn.
            clusters = {n: stack.enter_context(Cluster(replicas=n)) for n in args.replicas}
            print(HEADER.replace("vs stock floor", f"vs {args.replicas[0]} replica(s)"))
            for page in pages:
                query, widgets = scenario(page)
                for visitors in args.visitors:
                    targets = [
                        (
                            f"{page}, {n} replica{'s' * (n > 1)} behind nginx",
                            c.url,
                            page,
                            query,
                            widgets,
                            [r.proc.pid for r in c.replicas],
                        )
                        for n, c in clusters.items()
                    ]
                    measured = interleaved(targets, visitors)
                    base = measured[targets[0][0]]
                    for (name, *_), n in zip(targets, clusters, strict=True):
                        print(_fmt_row(name, measured[name], base, cpu_per_run.get(name)), flush=True)
                        rows.append(
                            {
                                "target": page,
                                "replicas": n,
                                "server_cpu_ms": cpu_per_run.get(name),
                                **measured[name].row(),
                            }
                        )
        elif args.url:
            print(HEADER)
            for page in pages:
                query, widgets = scenario(page)
                for visitors in args.visitors:
                    st = interleaved([(page, args.url, page, query, widgets, [])], visitors)[page]
                    print(_fmt_row(f"{page} on {args.url}", st, None), flush=True)
                    rows.append({"target": page, **st.row()})
        else:
            app = stack.enter_context(Server("app.py"))
            targets = []
            if not args.no_floor:
                fair = stack.enter_context(Server("bench/floor_app.py"))
                stock = stack.enter_context(Server("bench/floor_app.py", stock=True))
                targets += [
                    ("floor, app settings", fair.url, FLOOR_PAGE, "", FLOOR_WIDGETS, [fair.pid]),
                    ("floor, stock settings", stock.url, FLOOR_PAGE, "", FLOOR_WIDGETS, [stock.pid]),
                ]
            for page in pages:
                query, widgets = scenario(page)
                targets.append((f"{page}?{query}", app.url, page, query, widgets, [app.pid]))
            if args.baseline:
                old = stack.enter_context(Server("app.py", cwd=args.baseline.resolve()))
                for page in pages:
                    query, widgets = scenario(page)
                    targets.append((f"{page}?{query}, baseline", old.url, page, query, widgets, [old.pid]))
            for _, url, page, _, widgets, _ in targets:  # first runs import everything: not part of any number
                run_load(url, page, "", 3, 1, 10, widgets)
            print(HEADER)
            for visitors in args.visitors:
                measured = interleaved(targets, visitors)
                stock_floor = measured.get("floor, stock settings")
                for name, st in measured.items():
                    print(_fmt_row(name, st, stock_floor, cpu_per_run.get(name)), flush=True)
                    rows.append({"target": name, "server_cpu_ms": cpu_per_run.get(name), **st.row()})
                for name, st in measured.items():
                    old = measured.get(f"{name}, baseline")
                    if old is not None and old.throughput:
                        print(
                            f"{name}, {visitors} visitors: reruns/s {st.throughput / old.throughput:.2f}× the baseline's, "
                            f"p95 {st.p95_ms / old.p95_ms:.2f}×, server CPU per run "
                            f"{cpu_per_run.get(name, float('nan')) / cpu_per_run.get(f'{name}, baseline', float('nan')):.2f}×",
                            flush=True,
                        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
