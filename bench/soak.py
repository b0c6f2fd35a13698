"""Memory soak: open, use and close many sessions over the websocket; the server's RSS should stay flat.

    python bench/soak.py                       # 1,000 sessions on the app's own settings
    python bench/soak.py --stock-gc            # the same with Streamlit's default GC (postScriptGC on)
    python bench/soak.py --sessions 200 --concurrency 5

Starts ``streamlit run app.py`` on a loopback port and runs ``--sessions`` visitors (bench/load.py's
``Visit``), ``--concurrency`` at a time. Each opens one page in turn (every page of the app, with a
query string), makes ``--moves`` random slider or number-input moves, and closes its websocket.
Every ``--every`` closed sessions it prints the server's resident memory (VmRSS from /proc), so a
leak shows as a rising column. Streamlit keeps up to 128 closed sessions for 120 s in case the
tab reconnects (``server.disconnectedSessionTTL``), so memory includes those; it plateaus once
that store and the pages' bounded ``st.cache_data`` caches are full.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from runtime.launch import Server
from tests.support.loadgen import Visit

#: One visit per session, in turn: each page of the app with a query string a user might share, and
#: the widgets its visitor moves. On /lr-finder only the gradient-descent lesson's rate moves (other
#: sliders retrain networks); /network, /custom and /lab are only opened (their inputs start
#: training or certification). This soak is about memory per session, not the heaviest work.
VISITS = [
    ("/pricing", "unit_cost=30", None),
    ("/study", "hours=10", None),
    ("/fuel", "speed=70", None),
    ("/compounding", "principal=20000", None),
    ("/lr-finder", "momentum=0.8", ("gd_rate",)),
    ("/network", "activation=tanh", ()),
    ("/custom", "f=x**3-6*x&lo=-3&hi=3", ()),
    ("/lab", "x=2", ()),
    ("/", "", ()),
]


async def _session(url: str, n: int, moves: int, errors: list[str]) -> None:
    page, query, widgets = VISITS[n % len(VISITS)]
    rng = random.Random(n)
    visit = Visit(url, page, query)
    step = "open"
    try:
        await visit.open()
        for i in range(moves if widgets != () else 0):
            step = f"move {i + 1}"
            r = await visit.move(rng, widgets)
            if not r.ok:
                errors.append(f"{page}?{visit.query}: {step} failed ({r.exceptions} exception(s))")
    except Exception as exc:  # noqa: BLE001 - a failed session is reported, the soak goes on
        errors.append(f"{page}?{visit.query}: {step}: {exc!r}")
    finally:
        with contextlib.suppress(Exception):
            await visit.close()


async def soak(url: str, sessions: int, concurrency: int, moves: int, every: int, sample) -> tuple[list, list]:
    rows, errors = [], []
    queue = asyncio.Queue()
    for n in range(sessions):
        queue.put_nowait(n)
    done = 0
    t0 = time.perf_counter()
    rows.append((0, 0.0, sample()))

    async def worker():
        nonlocal done
        while True:
            try:
                n = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await _session(url, n, moves, errors)
            done += 1
            if done % every == 0:
                rows.append((done, time.perf_counter() - t0, sample()))
                print(f"  {done:5d} sessions  {rows[-1][1]:6.0f} s  RSS {rows[-1][2]:6.1f} MB", file=sys.stderr)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return rows, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=10, help="sessions open at the same time")
    ap.add_argument("--moves", type=int, default=3, help="widget moves per session")
    ap.add_argument("--every", type=int, default=100, help="sample RSS every N closed sessions")
    ap.add_argument("--stock-gc", action="store_true", help="run with runner.postScriptGC = true (Streamlit's default)")
    ap.add_argument(
        "--flag", action="append", default=[], help="extra streamlit flag, e.g. --flag=--runner.postScriptGC=false"
    )
    ap.add_argument("--pages", nargs="+", help="only these pages of VISITS (default: all)")
    ap.add_argument("--script", default="app.py", help="entry script to serve (default: the app)")
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args()
    if args.pages:
        VISITS[:] = [v for v in VISITS if v[0] in args.pages]
    flags = [*args.flag, *(["--runner.postScriptGC", "true"] if args.stock_gc else [])]

    with Server(args.script, flags=flags) as server:
        rows, errors = asyncio.run(
            soak(server.url, args.sessions, args.concurrency, args.moves, args.every, server.rss_mb)
        )
        cpu = server.cpu_seconds()
    base = next((rss for n, _, rss in rows if n >= 2 * args.every), rows[-1][2])
    print(
        f"`python bench/soak.py{' --stock-gc' if args.stock_gc else ''}`: {args.sessions} sessions, "
        f"{args.concurrency} at a time, {args.moves} moves each, pages in turn; server CPU {cpu:.0f} s"
    )
    print()
    print("| sessions closed | elapsed | server RSS |")
    print("| --- | --- | --- |")
    for n, t, rss in rows:
        print(f"| {n} | {t:.0f} s | {rss:.0f} MB |")
    print()
    print(f"growth after the first {2 * args.every} sessions: {rows[-1][2] - base:+.1f} MB; errors: {len(errors)}")
    for e in errors[:5]:
        print(f"  {e}")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "errors": errors}, indent=2))


if __name__ == "__main__":
    main()
