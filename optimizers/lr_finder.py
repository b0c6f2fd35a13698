"""The learning-rate range test, done carefully.

Train with an exponentially growing learning rate lr_i = start (end/start)^(i/(N-1)) (both
ends exact, as torch-lr-finder's ``ExponentialLR``), with the optimizer exactly as PyTorch
defines it (``nn.sgd_step``, ``nn.adam_step``), smooth the loss with a debiased exponential
moving average (fastai's β = 0.98), stop when it passes 4× its best (fastai's ``stop_div``),
and read suggestions off the *smoothed* curve trimmed of its first tenth and last 5 points,
as fastai's ``lr_find`` does:

* ``valley`` — fastai's longest-descent rule (fastai's default suggestion),
* ``minimum/10`` — a tenth of the rate at the lowest loss of the trimmed curve,
* ``steepest`` — the most negative slope of loss against **log** lr, at or before the
  minimum, among the points where the loss falls by more than the noise of the raw losses
  around them (fastai's ``steep`` and torch-lr-finder take the most negative slope anywhere,
  so a noisy flat start can win; against raw lr, as PyTorch Lightning does, the large rates
  dominate).

Whether the loss "turned up" is decided on the whole smoothed curve after its minimum,
including the 5 points trimmed at the end: a loss that rises only in those points still
gives fastai's answer. A loss that is still falling at the largest rate tried gives None and
says so (fastai would return the last rate as "minimum", which is only where the test
ended). Several seeds give a median suggestion and its spread in decades; the runs of
all the seeds train together as one stacked array computation (:class:`optimizers.nn._Stack`).

A range test reads a rate off one short run whose rate never stays put, and on some networks
(sigmoid or tanh on the spirals: the loss sits on a plateau until the rate is large) its
minimum/10 trains far worse than a good fixed rate. :func:`analyse` therefore checks it: a
fresh network trained for ``SWEEP_STEPS`` steps at each of ``SWEEP_RATES`` and at the range
test's own rate, all in one stack. When the range test's rate trains within ``AGREE``
accuracy of the best fixed rate it is the suggestion (``Verdict.CONFIRMED``); otherwise the
range test cannot tell, and the check's best rate is (``Verdict.CHECK_BEST``).

Every heavy function has a ``*_cost`` twin that states its CPU time before it runs
(:mod:`optimizers.cost`), and its loops call :func:`optimizers.progress.checkpoint`.

Also here: the tutorial's 1-D lesson on step size, gradient descent on C(x) = x^2 - 10x + 100.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from optimizers import nn, progress
from optimizers.cost import Cost

__all__ = [
    "AGREE",
    "DEFAULTS",
    "SUGGESTED",
    "SWEEP_RATES",
    "SWEEP_STEPS",
    "CheckedRate",
    "FinderResult",
    "GDLesson",
    "LRFinderResult",
    "Note",
    "Regime",
    "StableSuggestion",
    "Verdict",
    "analyse",
    "analyse_cost",
    "gd_blocked",
    "gd_curve",
    "gd_lesson",
    "gd_path",
    "gd_regime",
    "lr_range_test",
    "lr_sweep",
    "range_test_cost",
    "range_tests",
    "schedule",
    "stable_suggestion",
    "suggest",
    "sweep_cost",
]

BETA = 0.98
DIVERGE = 4.0
TRIM_END = 5
MIN_POINTS = 10
#: The smoothed loss must end this much above its minimum to count as having turned up.
TURN_UP = 1.05
SPREAD_WARNING_DECADES = 0.5
#: Half-width, as a share of the test's points, of the window around a candidate steepest
#: point in which its drop and the raw losses' noise are measured (at least 3 points).
STEEP_WINDOW = 0.05
#: The check: rates 1e-3 .. 10^0.5, four per decade, each trained this many steps.
SWEEP_RATES = tuple(float(v) for v in 10 ** np.arange(-3, 0.51, 0.25))
SWEEP_STEPS = 200
#: The range test's rate is the suggestion when, trained like the check, it reaches at least
#: the best fixed rate's accuracy minus this (2 points); otherwise the check's best rate is.
AGREE = 0.02
#: The settings both pages start from (the network page trains what the finder measures).
DEFAULTS = {
    "dataset": "spirals",
    "activation": "relu",
    "hidden": 32,
    "layers": 1,
    "batch_size": 32,
    "momentum": 0.9,
    "optimizer": "sgd-momentum",
}
#: The range test's defaults: 1e-5 .. 10 in 200 steps (fastai starts at 1e-7 with 100 steps;
#: the first two decades teach nothing here, and 200 steps halve the smoothing's lag in lr).
START_LR, END_LR, NUM_IT, RUNS = 1e-5, 10.0, 200, 3
SUGGESTIONS = ("valley", "minimum/10", "steepest")
#: The range test's rule behind "Suggested learning rate" (then checked, see :func:`analyse`).
#: With relu, gelu and silu it lands within half a decade of the check's best rate on every
#: built-in data set; fastai's valley, made for one-cycle training, lands 0.6-1.5 decades lower.
SUGGESTED = "minimum/10"


class Note(enum.Enum):
    """Why a range test (or the runs together) suggests less than it might."""

    #: Fewer than MIN_POINTS points are left after trimming (``LRFinderResult.usable``).
    TOO_SHORT = "too_short"
    #: The loss is not a finite number anywhere in the trimmed window.
    NOT_FINITE = "not_finite"
    #: The smoothed loss never turns up: the lowest point is only where the test ended.
    STILL_FALLING = "still_falling"
    #: Nowhere does the loss fall by more than the noise of the raw losses.
    NO_CLEAR_STEEPEST = "no_clear_steepest"
    #: Most runs have no steepest point (the others did not turn up at all).
    NO_CLEAR_STEEPEST_MOST_RUNS = "no_clear_steepest_most_runs"
    #: The runs' suggested rates spread over more than SPREAD_WARNING_DECADES.
    SEEDS_DISAGREE = "seeds_disagree"


class Verdict(enum.Enum):
    """Where the suggested rate comes from (see :func:`analyse`)."""

    #: The range test's rate trains within AGREE of the check's best: it is the suggestion.
    CONFIRMED = "confirmed"
    #: The range test gives no rate, or its rate trains clearly worse: the check's best is used.
    CHECK_BEST = "check_best"
    #: No fixed rate learns: even the best is within AGREE of always answering the most common
    #: class. The check's best is used, and it means little.
    NOTHING_LEARNS = "nothing_learns"


def schedule(start: float = 1e-7, end: float = 10.0, num: int = 100) -> np.ndarray:
    """lr_i = start * (end/start)^(i/(N-1)): the first is exactly start, the last exactly end.

    >>> s = schedule(1e-7, 10, 100)
    >>> float(s[0]), float(s[-1]), len(s)
    (1e-07, 10.0, 100)
    """
    if not (0 < start < end) or not (math.isfinite(start) and math.isfinite(end)):
        raise ValueError(f"need 0 < start_lr < end_lr, got start_lr={start}, end_lr={end}")
    if num < 2:
        raise ValueError(f"num_it must be at least 2, got {num}")
    lrs = start * (end / start) ** (np.arange(num) / (num - 1))
    lrs[0], lrs[-1] = start, end
    return lrs


@dataclass(frozen=True)
class LRFinderResult:
    """One range test: rates tried, smoothed and raw losses, suggestions, early stop, the
    notes on what it could not tell, d(smoothed loss)/d(log lr), and how many points were
    left to read the suggestions from after trimming."""

    lrs: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    suggestions: dict[str, float | None]
    stopped_early: bool
    notes: tuple[Note, ...] = ()
    slopes: np.ndarray = field(default_factory=lambda: np.array([]))
    usable: int = 0

    def table(self, clip: bool = False) -> pd.DataFrame:
        """lr, raw_loss, smoothed_loss, slope. ``clip`` limits losses to twice the first smoothed
        loss and slopes to ten times the steepest descent, for plotting a run that exploded."""
        raw, smooth, slopes = self.raw_losses, self.losses, self.slopes
        if clip and len(smooth):
            cap = 2 * smooth[0]
            raw, smooth = np.minimum(raw, cap), np.minimum(smooth, cap)
            falling = slopes[np.isfinite(slopes) & (slopes < 0)]
            if falling.size:
                slopes = np.clip(slopes, 10 * falling.min(), -10 * falling.min())
        return pd.DataFrame({"lr": self.lrs, "raw_loss": raw, "smoothed_loss": smooth, "slope": slopes})


def _valley(losses: np.ndarray) -> int:
    """fastai's valley: the longest strictly decreasing subsequence, 2/3... of the way down it."""
    n = len(losses)
    lds = np.ones(n, dtype=int)
    max_start = max_end = 0
    for i in range(1, n):
        smaller = losses[:i] > losses[i]
        if smaller.any():
            best = lds[:i][smaller].max() + 1
            lds[i] = max(lds[i], best)
        if lds[max_end] < lds[i]:
            max_end = i
            max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    return max_start + int(sections) + int(sections / 2)


def _clear_descent(losses: np.ndarray, raw: np.ndarray, log_lr: np.ndarray, k: int) -> np.ndarray:
    """For each point: does the smoothed loss fall, across the ±k points around it, by more
    than the noise of the raw losses there (the standard deviation, ddof 2, of their residuals
    from a least-squares straight line in log lr; 0 with 3 points or fewer)?

    Every window at once: each window's line comes from its centred sums (the residual sum
    of squares is Syy − Sxy²/Sxx), which is what ``np.polyfit`` fits point by point.
    """
    n = len(losses)
    idx = np.arange(n)
    a, b = np.maximum(idx - k, 0), np.minimum(idx + k, n - 1)
    offsets = np.arange(-k, k + 1)
    window = idx[:, None] + offsets[None, :]
    inside = (window >= 0) & (window < n)
    w = np.clip(window, 0, n - 1)
    x, r = log_lr[w], raw[w]
    ok = inside & np.isfinite(r)
    m = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        safe = np.maximum(m, 1)
        mx = np.where(ok, x, 0.0).sum(axis=1) / safe
        my = np.where(ok, r, 0.0).sum(axis=1) / safe
        dx, dy = np.where(ok, x - mx[:, None], 0.0), np.where(ok, r - my[:, None], 0.0)
        sxx, sxy, syy = (dx * dx).sum(axis=1), (dx * dy).sum(axis=1), (dy * dy).sum(axis=1)
        ssr = np.maximum(syy - np.where(sxx > 0, sxy * sxy / sxx, 0.0), 0.0)
        noise = np.where(m > 3, np.sqrt(ssr / np.maximum(m - 2, 1)), 0.0)
        drop = losses[a] - losses[b]
    return (b - a >= 3) & (m >= 3) & np.isfinite(drop) & (drop > noise)


def _usable(n: int, num_it: int | None) -> tuple[int, int]:
    """The trimmed window (lo, hi): fastai drops the first num_it // 10 and the last 5 points."""
    lo = (n if num_it is None else int(num_it)) // 10
    return lo, n - TRIM_END


def suggest(
    lrs, losses, stopped_early: bool = False, raw_losses=None, num_it: int | None = None
) -> tuple[dict[str, float | None], tuple[Note, ...], np.ndarray]:
    """Suggestions from a smoothed loss curve: (suggestions, notes, d loss / d log lr).

    The loss "turns up" when the test stopped on divergence or the smoothed curve, anywhere
    after its lowest point (trimmed points included), rises at least 5% above it; otherwise
    the lowest point is only where the test ended, and nothing is suggested
    (``Note.STILL_FALLING``). ``raw_losses`` (default: the smoothed ones) measure the noise
    that a steepest point must beat. The first ``num_it // 10`` points are trimmed,
    ``num_it`` being the iterations asked for (default: the points given), as fastai trims
    a test that stopped early.

    >>> lrs = schedule(1e-4, 10, 60)
    >>> x = np.log10(lrs)
    >>> s, notes, _ = suggest(lrs, 1 + (x + 1.5) ** 2)  # a parabola in log lr, lowest at 10^-1.5
    >>> round(math.log10(s["minimum/10"]), 1), notes
    (-2.5, ())
    """
    lrs, losses = np.asarray(lrs, float), np.asarray(losses, float)
    raw = losses if raw_losses is None else np.asarray(raw_losses, float)
    slopes = np.full_like(losses, np.nan)
    if len(lrs) >= 2:
        slopes = np.gradient(losses, np.log(lrs))
    none = dict.fromkeys(SUGGESTIONS)
    lo, hi = _usable(len(lrs), num_it)
    if hi - lo < MIN_POINTS:
        return none, (Note.TOO_SHORT,), slopes
    finite = np.isfinite(losses)
    if not finite[lo:hi].any():
        return none, (Note.NOT_FINITE,), slopes
    x, y, dy = lrs[lo:hi], losses[lo:hi], slopes[lo:hi]
    i_min = int(np.nanargmin(y))
    g_min = lo + i_min
    after = losses[g_min:][np.isfinite(losses[g_min:])]
    turned_up = stopped_early or (after.size > 0 and after.max() >= TURN_UP * losses[g_min])
    if not turned_up:
        return none, (Note.STILL_FALLING,), slopes
    k = max(3, round(STEEP_WINDOW * len(lrs)))
    clear = _clear_descent(losses, raw, np.log(lrs), k)[lo:hi]
    candidates = np.flatnonzero(clear[: i_min + 1] & np.isfinite(dy[: i_min + 1]) & (dy[: i_min + 1] < 0))
    steep = int(candidates[np.argmin(dy[candidates])]) if candidates.size else None
    out = {
        "valley": float(x[_valley(np.where(np.isfinite(y), y, np.inf))]),
        "minimum/10": float(x[i_min] / 10),
        "steepest": float(x[steep]) if steep is not None else None,
    }
    return out, (() if steep is not None else (Note.NO_CLEAR_STEEPEST,)), slopes


def _start(data: nn.Dataset, hidden: int, layers: int, activation: str, seed: int) -> dict:
    return nn.init_params(nn.layer_sizes(data, hidden, layers), activation, seed)


def range_tests(
    data: nn.Dataset,
    seeds=(0,),
    *,
    starts=None,
    hidden: int = 32,
    layers: int = 1,
    activation: str = "relu",
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    num_it: int = 100,
    batch_size: int = 32,
    momentum: float = 0.9,
    optimizer: str = "sgd-momentum",
    beta: float = BETA,
    diverge: float = DIVERGE,
) -> tuple[LRFinderResult, ...]:
    """One range test per seed, all trained together as one stacked array computation (large
    networks in a few stacks, :func:`optimizers.nn.stack_groups`).

    Run r starts from ``starts[r]`` (default: a fresh network initialised with ``seeds[r]``)
    and draws its mini-batches with ``seeds[r] + 1``. Each run records the mini-batch loss
    just before each step (as fastai and torch-lr-finder record it) and stops, on its own, at
    a non-finite loss or a smoothed loss above ``diverge`` times its best; the stack stops
    when every run has. Each run's numbers are exactly those of a range test run alone.

    Examples
    --------
    >>> d = nn.make_dataset("moons", 256, seed=0)
    >>> both = range_tests(d, seeds=(0, 1))
    >>> [float(r.lrs[0]) for r in both], bool(np.array_equal(both[1].raw_losses, lr_range_test(d, seed=1).raw_losses))
    ([1e-07, 1e-07], True)
    """
    lrs = schedule(start_lr, end_lr, num_it)
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("need at least one seed")
    if starts is None:
        starts = [_start(data, hidden, layers, activation, s) for s in seeds]
    runs = len(seeds)
    raw = np.full((num_it, runs), np.nan)
    smooth = np.full((num_it, runs), np.nan)
    length = np.full(runs, num_it)  # points each run records
    stopped = np.zeros(runs, dtype=bool)
    width = max(w.shape[1] for w in nn._unpack(starts[0])[0])
    groups = nn.stack_groups(runs, width, len(starts[0]) // 2, min(batch_size, len(data.y)))
    with np.errstate(all="ignore"):
        for g, group in enumerate(groups):
            sel = np.arange(group.start, group.stop)
            stack = nn._Stack(
                [starts[r] for r in sel], data, [seeds[r] + 1 for r in sel], batch_size, momentum, activation, optimizer
            )
            avg, best = np.zeros(len(sel)), np.full(len(sel), np.inf)
            done = np.zeros(len(sel), dtype=bool)
            for i, lr in enumerate(lrs):
                progress.checkpoint((g + i / num_it) / len(groups))
                values = stack.step(float(lr))  # the loss before the step, then the step
                live = ~done
                bad = live & ~np.isfinite(values)
                length[sel[bad]], done[bad] = i, True  # a non-finite loss is not recorded
                live &= ~bad
                avg[live] = beta * avg[live] + (1 - beta) * values[live]
                s = avg / (1 - beta ** (i + 1))
                raw[i, sel[live]], smooth[i, sel[live]] = values[live], s[live]
                best[live] = np.minimum(best[live], s[live])
                up = live & (s > diverge * best)
                length[sel[up]], done[up] = i + 1, True  # recorded, and no step taken after it
                if done.all():
                    break
            stopped[sel] = done
    out = []
    for r in range(runs):
        n = int(length[r])
        sm, rw = smooth[:n, r].copy(), raw[:n, r].copy()
        suggestions, notes, slopes = suggest(lrs[:n], sm, bool(stopped[r]), rw, num_it)
        lo, hi = _usable(n, num_it)
        out.append(LRFinderResult(lrs[:n], sm, rw, suggestions, bool(stopped[r]), notes, slopes, max(hi - lo, 0)))
    return tuple(out)


def lr_range_test(data: nn.Dataset, params: dict | None = None, *, seed: int = 0, **kwargs) -> LRFinderResult:
    """The range test on ``data`` from ``params`` (copied, never modified) or a fresh network
    initialised with ``seed``; mini-batches drawn with ``seed + 1``. Keywords as
    :func:`range_tests` (hidden, layers, activation, start_lr, end_lr, num_it, batch_size,
    momentum, optimizer, beta, diverge).

    Examples
    --------
    >>> r = lr_range_test(nn.make_dataset("moons", 256, seed=0), seed=0)
    >>> float(r.lrs[0]), len(r.raw_losses) == len(r.losses), len(r.lrs) <= 100
    (1e-07, True, True)
    """
    return range_tests(data, (seed,), starts=None if params is None else [params], **kwargs)[0]


@dataclass(frozen=True)
class StableSuggestion:
    """The median suggestion over several seeds, how much the seeds disagree (in decades, and
    the lowest and highest rate), what the runs could not tell, and the gradient check of the
    network the first run starts from (largest relative error, see nn.gradient_check)."""

    median: dict[str, float | None]
    spread_decades: dict[str, float | None]
    runs: tuple[LRFinderResult, ...]
    notes: tuple[Note, ...]
    gradient_error: float
    extremes: dict[str, tuple[float, float] | None] = field(default_factory=dict)


def stable_suggestion(data: nn.Dataset, runs: int = 3, seed: int = 0, **kwargs) -> StableSuggestion:
    """Range tests with seeds seed..seed+runs-1 (one stacked computation, :func:`range_tests`);
    median and spread (log10 max/min) of each suggestion.

    A suggestion needs at least half of the runs to give one; otherwise it is None.

    >>> s = stable_suggestion(nn.make_dataset("spirals", 512, seed=0), runs=3, start_lr=1e-5, num_it=200)
    >>> f"{s.median['minimum/10']:.2e}", round(s.spread_decades["minimum/10"], 2)  # one seed says 2.5e-02
    ('2.33e-01', 1.12)
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    results = range_tests(data, range(seed, seed + runs), **kwargs)
    median, spread, extremes, notes = {}, {}, {}, []
    for name in SUGGESTIONS:
        values = [res.suggestions[name] for res in results if res.suggestions[name] is not None]
        if len(values) < max(1, math.ceil(runs / 2)):
            median[name], spread[name], extremes[name] = None, None, None
            continue
        median[name] = float(np.exp(np.median(np.log(values))))
        spread[name] = float(np.log10(max(values) / min(values)))
        extremes[name] = (min(values), max(values))
    if spread.get(SUGGESTED) is not None and spread[SUGGESTED] > SPREAD_WARNING_DECADES:
        notes.append(Note.SEEDS_DISAGREE)
    for res in results:
        notes.extend(n for n in res.notes if n not in notes)
    if median["steepest"] is None and Note.NO_CLEAR_STEEPEST not in notes and median["valley"] is not None:
        notes.append(Note.NO_CLEAR_STEEPEST_MOST_RUNS)
    hidden, layers, activation = kwargs.get("hidden", 32), kwargs.get("layers", 1), kwargs.get("activation", "relu")
    start = _start(data, hidden, layers, activation, seed)
    check = nn.gradient_check(start, data.X[:64], data.y[:64], activation)
    return StableSuggestion(median, spread, results, tuple(notes), check, extremes)


def lr_sweep(
    data: nn.Dataset,
    lrs=SWEEP_RATES,
    *,
    steps: int = SWEEP_STEPS,
    hidden: int = 32,
    layers: int = 1,
    activation: str = "relu",
    batch_size: int = 32,
    momentum: float = 0.9,
    optimizer: str = "sgd-momentum",
    seed: int = 0,
) -> pd.DataFrame:
    """Train a fresh network (initialised with ``seed``, mini-batches drawn with ``seed``: the
    network the Neural network page trains) at each fixed rate, all at once
    (:func:`optimizers.nn.train_many`): lr, the full-data loss after ``steps`` steps (inf
    where training diverged) and the accuracy then.

    >>> t = lr_sweep(nn.make_dataset("moons", 256, seed=0), [0.1, 1.0], steps=100)
    >>> list(t.columns), bool(t.accuracy.min() > 0.8)
    (['lr', 'final_loss', 'accuracy'], True)
    """
    start = _start(data, hidden, layers, activation, seed)
    lrs = np.asarray(lrs, dtype=float)
    res = nn.train_many(start, data, lrs, steps, batch_size, momentum, activation, seed, optimizer)
    return pd.DataFrame({"lr": lrs, "final_loss": res.final_losses, "accuracy": res.accuracies})


@dataclass(frozen=True)
class CheckedRate:
    """A rate trained like the check: the full-data loss after SWEEP_STEPS steps (inf if it
    diverged) and the accuracy then."""

    lr: float
    final_loss: float
    accuracy: float


@dataclass(frozen=True)
class FinderResult:
    """Everything the Learning-rate finder shows, and what the Neural network page trains with.

    ``tests``: the range tests (medians, spreads, notes, the runs, the gradient check).
    ``check``: lr, final_loss, accuracy at each of SWEEP_RATES after ``steps`` steps.
    ``best``: the check's best fixed rate (highest accuracy; the lowest loss among ties).
    ``candidate``: the range test's rate (its SUGGESTED rule, median over the runs) trained
    the same way, or None when the range test gives none. ``verdict`` and ``suggested``: the
    rate the pages call suggested, and where it comes from. ``classes``: chance is ln(classes);
    ``majority``: the accuracy of always answering the most common class.
    """

    tests: StableSuggestion
    check: pd.DataFrame
    best: CheckedRate
    candidate: CheckedRate | None
    verdict: Verdict
    suggested: float
    steps: int
    classes: int
    majority: float

    @property
    def decades(self) -> float | None:
        """How far the range test's rate is from the check's best, in decades (None: no rate)."""
        if self.candidate is None:
            return None
        return abs(math.log10(self.candidate.lr / self.best.lr))

    @property
    def suggested_loss(self) -> float:
        """The check's loss after ``steps`` steps at the suggested rate (trained, not read off)."""
        chosen = self.candidate if self.verdict is Verdict.CONFIRMED else self.best
        return chosen.final_loss

    def slope_at(self, lr: float) -> float:
        """d(smoothed loss)/d(log lr) of the first run at ``lr`` (linear in between its points)."""
        first = self.tests.runs[0]
        return float(np.interp(lr, first.lrs, first.slopes))


def _best(check: pd.DataFrame) -> CheckedRate:
    """The highest accuracy among the rates that did not diverge; the lowest loss among ties."""
    ok = check[np.isfinite(check.final_loss)]
    if ok.empty:
        ok = check
    top = ok[ok.accuracy == ok.accuracy.max()]
    row = top.loc[top.final_loss.idxmin()] if np.isfinite(top.final_loss).any() else top.iloc[0]
    return CheckedRate(float(row.lr), float(row.final_loss), float(row.accuracy))


def analyse(
    data: nn.Dataset,
    *,
    runs: int = RUNS,
    seed: int = 0,
    start_lr: float = START_LR,
    end_lr: float = END_LR,
    num_it: int = NUM_IT,
    hidden: int = 32,
    layers: int = 1,
    activation: str = "relu",
    batch_size: int = 32,
    momentum: float = 0.9,
    optimizer: str = "sgd-momentum",
) -> FinderResult:
    """The range tests over ``runs`` seeds, then the check: a fresh network (the one the
    Neural network page trains with this ``seed``) trained for SWEEP_STEPS steps at each of
    SWEEP_RATES and at the range test's rate, in one stack. The range test's rate is the
    suggestion when it trains within AGREE of the best fixed rate's accuracy; otherwise (or
    when the range test gives no rate) the check's best rate is. When even the best fixed rate
    is within AGREE of always answering the most common class, nothing learns
    (``Verdict.NOTHING_LEARNS``) and the check's best rate is suggested for what it is worth.

    Reports progress (:func:`optimizers.progress.checkpoint`) across both parts.

    Examples
    --------
    >>> r = analyse(nn.make_dataset("spirals", 512, seed=0))  # the pages' defaults
    >>> f"{r.suggested:.2e}", r.verdict.name, f"{r.candidate.accuracy:.1%}", f"{r.best.accuracy:.1%}"
    ('2.33e-01', 'CONFIRMED', '98.4%', '100.0%')
    >>> r = analyse(nn.make_dataset("spirals", 512, seed=0), activation="sigmoid")  # issue 19
    >>> f"{r.candidate.lr:.2e}", f"{r.candidate.accuracy:.1%}", r.verdict.name, f"{r.suggested:.2e}"
    ('1.45e-02', '50.8%', 'CHECK_BEST', '1.00e+00')
    """
    net = {"hidden": hidden, "layers": layers, "activation": activation}
    train = {"batch_size": batch_size, "momentum": momentum, "optimizer": optimizer}
    features, classes = data.X.shape[1], data.classes
    first = range_test_cost(runs, num_it, hidden, layers, batch_size, features, classes, activation).seconds
    second = sweep_cost(hidden, layers, batch_size, features, classes, activation, len(data.y)).seconds
    split = first / (first + second) if first + second > 0 else 0.5
    with progress.part(0.0, split):
        tests = stable_suggestion(data, runs, seed, start_lr=start_lr, end_lr=end_lr, num_it=num_it, **net, **train)
    rate = tests.median[SUGGESTED]
    rates = [*SWEEP_RATES, *([rate] if rate is not None else [])]
    with progress.part(split, 1.0):
        table = lr_sweep(data, rates, steps=SWEEP_STEPS, seed=seed, **net, **train)
    check = table.iloc[: len(SWEEP_RATES)].reset_index(drop=True)
    best = _best(check)
    candidate = None
    if rate is not None:
        row = table.iloc[-1]
        candidate = CheckedRate(float(row.lr), float(row.final_loss), float(row.accuracy))
    majority = float(np.bincount(data.y).max() / len(data.y))
    agrees = candidate is not None and math.isfinite(candidate.final_loss)
    agrees = agrees and candidate.accuracy >= best.accuracy - AGREE
    if best.accuracy < majority + AGREE:
        verdict = Verdict.NOTHING_LEARNS
    else:
        verdict = Verdict.CONFIRMED if agrees else Verdict.CHECK_BEST
    suggested = candidate.lr if verdict is Verdict.CONFIRMED else best.lr
    return FinderResult(tests, check, best, candidate, verdict, suggested, SWEEP_STEPS, classes, majority)


# --- what the heavy work costs ----------------------------------------------------------------

#: CPU-seconds per point of a range test to read its suggestions (the smoothing's slopes, the
#: vectorised noise windows, fastai's valley), measured by ``python bench/lr_finder.py --fit``.
SUGGEST_SECONDS_PER_POINT = 6e-5
#: CPU-seconds of the gradient check of the first run's network (64 samples), fixed part.
GRADIENT_CHECK_SECONDS = 0.004


def range_test_cost(
    runs: int,
    num_it: int,
    hidden: int,
    layers: int,
    batch_size: int,
    features: int = 2,
    classes: int = 2,
    activation: str = "gelu",
) -> Cost:
    """CPU-seconds of :func:`stable_suggestion` with these settings, before it runs: ``num_it``
    steps of the stacks of ``runs`` networks (:func:`optimizers.nn.stack_groups`), reading
    each run's suggestions, the gradient check.

    >>> round(range_test_cost(3, 200, 32, 1, 32, activation="relu").seconds, 2)
    0.12
    """
    step = sum(
        nn.many_step_seconds(len(g), hidden, layers, batch_size, features, classes, activation)
        for g in nn.stack_groups(runs, hidden, layers, batch_size)
    )
    check = GRADIENT_CHECK_SECONDS + 6 * nn.forward_seconds(hidden, layers, 64, features, classes, activation)
    seconds = num_it * (step + runs * SUGGEST_SECONDS_PER_POINT) + check
    return Cost(seconds, "range_test", ("runs", "num_it", "hidden", "layers", "batch_size"))


def sweep_cost(
    hidden: int,
    layers: int,
    batch_size: int,
    features: int = 2,
    classes: int = 2,
    activation: str = "gelu",
    n_samples: int = 512,
) -> Cost:
    """CPU-seconds of the check in :func:`analyse`: SWEEP_STEPS steps of a stack of the
    SWEEP_RATES networks and the range test's rate, and their full-data losses.

    >>> round(sweep_cost(32, 1, 32, activation="relu").seconds, 2)
    0.21
    """
    many = len(SWEEP_RATES) + 1
    seconds = SWEEP_STEPS * sum(
        nn.many_step_seconds(len(g), hidden, layers, batch_size, features, classes, activation)
        for g in nn.stack_groups(many, hidden, layers, batch_size)
    )
    seconds += many * nn.forward_seconds(hidden, layers, n_samples, features, classes, activation)  # final losses
    return Cost(seconds, "sweep", ("hidden", "layers", "batch_size"))


def analyse_cost(
    runs: int,
    num_it: int,
    hidden: int,
    layers: int,
    batch_size: int,
    features: int = 2,
    classes: int = 2,
    activation: str = "gelu",
    n_samples: int = 512,
) -> Cost:
    """CPU-seconds of :func:`analyse`: the range tests and the check.

    >>> analyse_cost(3, 200, 32, 1, 32, activation="relu").tasks
    ('range_test', 'sweep')
    """
    shape = (features, classes, activation)
    return range_test_cost(runs, num_it, hidden, layers, batch_size, *shape) + sweep_cost(
        hidden, layers, batch_size, *shape, n_samples
    )


# --- the 1-D lesson ---------------------------------------------------------------------------


class Regime(enum.Enum):
    """How gradient descent at a fixed rate behaves on C(x) = x^2 - 10x + 100 (C'' = 2): each
    step multiplies the distance to x = 5 by 1 - 2·rate."""

    STILL = "still"  # rate <= 0: it does not move toward the minimum
    SMOOTH = "smooth"  # 0 < rate < 0.5: a shrinking step from one side
    ONE_STEP = "one_step"  # rate = 0.5 = 1/C'': the Newton step lands on the minimum
    OSCILLATES = "oscillates"  # 0.5 < rate < 1: it jumps across x = 5, less each time
    FOREVER = "forever"  # rate = 1 = 2/C'': it bounces between the same two points
    DIVERGES = "diverges"  # rate > 1: each jump overshoots more


def gd_regime(rate: float) -> Regime:
    """The regime of gradient descent at ``rate`` on C(x) = x^2 - 10x + 100.

    >>> gd_regime(0.75), gd_regime(0.5), gd_regime(1.1)
    (<Regime.OSCILLATES: 'oscillates'>, <Regime.ONE_STEP: 'one_step'>, <Regime.DIVERGES: 'diverges'>)
    """
    if rate <= 0:
        return Regime.STILL
    if rate < 0.5:
        return Regime.SMOOTH
    if rate == 0.5:
        return Regime.ONE_STEP
    if rate < 1:
        return Regime.OSCILLATES
    if rate == 1:
        return Regime.FOREVER
    return Regime.DIVERGES


def gd_step(x: float, rate: float) -> float:
    """One gradient-descent step on C(x) = x^2 - 10x + 100: x - rate * C'(x), C'(x) = 2x - 10."""
    return x - rate * (2 * x - 10)


def gd_path(rate: float, x0: float = 0.0, steps: int = 12, floor: float | None = 0.0) -> pd.DataFrame:
    """Gradient descent on C(x) = x^2 - 10x + 100 from x0, at most ``steps`` steps (step, x, cost).

    x is ad spend, so the path stops before a step that would go below ``floor`` (None: no
    floor) or past 1e12.

    >>> gd_path(0.25, steps=3).x.round(4).tolist()
    [0.0, 2.5, 3.75, 4.375]
    >>> gd_path(1.2).x.tolist()  # the next step would be 12 - 1.2 * 14 = -4.8
    [0.0, 12.0]
    """
    xs = [float(x0)]
    for _ in range(steps):
        nxt = gd_step(xs[-1], rate)
        if not math.isfinite(nxt) or abs(nxt) > 1e12 or (floor is not None and nxt < floor):
            break
        xs.append(nxt)
    xs_arr = np.array(xs)
    return pd.DataFrame({"step": np.arange(len(xs_arr)), "x": xs_arr, "cost": xs_arr**2 - 10 * xs_arr + 100})


def gd_blocked(path: pd.DataFrame, rate: float, steps: int = 12, floor: float = 0.0) -> float | None:
    """The x the next step would have reached if the path stopped early at ``floor``, else None.

    >>> gd_blocked(gd_path(1.2), 1.2), gd_blocked(gd_path(0.75), 0.75)
    (-4.8, None)
    """
    if len(path) > steps:
        return None
    nxt = gd_step(float(path.x.iloc[-1]), rate)
    return round(nxt, 12) if nxt < floor else None


def gd_curve(path: pd.DataFrame, n: int = 121, floor: float = 0.0) -> pd.DataFrame:
    """C(x) from ``floor`` (no negative ad spend) to past x = 10 and every point of the path."""
    hi = max(10.5, float(path.x.max()) + 0.5)
    x = np.linspace(floor, hi, n)
    return pd.DataFrame({"x": x, "cost": x**2 - 10 * x + 100})


@dataclass(frozen=True)
class GDLesson:
    """Gradient descent on C(x) = x^2 - 10x + 100 from x = 0 at a fixed rate: its regime, the
    factor 1 - 2·rate each step multiplies the distance to x = 5 by, the path (step, x, cost),
    the curve to draw it on, and where the step after the path's end would have gone had it
    not been stopped at zero ad spend (None when it was not stopped)."""

    rate: float
    regime: Regime
    factor: float
    path: pd.DataFrame
    curve: pd.DataFrame
    blocked: float | None

    @property
    def converges(self) -> bool:
        return self.regime in (Regime.SMOOTH, Regime.ONE_STEP, Regime.OSCILLATES)


def gd_lesson(rate: float, steps: int = 12) -> GDLesson:
    """The tutorial's step-size lesson at ``rate``, from x = 0.

    >>> lesson = gd_lesson(0.75)
    >>> lesson.regime.name, lesson.factor, len(lesson.path), lesson.blocked
    ('OSCILLATES', -0.5, 13, None)
    """
    path = gd_path(rate, x0=0.0, steps=steps)
    return GDLesson(rate, gd_regime(rate), 1 - 2 * rate, path, gd_curve(path), gd_blocked(path, rate, steps))
