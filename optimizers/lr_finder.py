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
ended). Several seeds give a median suggestion and its spread in decades.

Every heavy function has a ``*_cost`` twin that states its CPU time before it runs
(:mod:`optimizers.cost`), and its loops call :func:`optimizers.progress.checkpoint`.

Also here: the seed's 1-D lesson on step size, gradient descent on C(x) = x^2 - 10x + 100.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from optimizers import nn, progress
from optimizers.cost import Cost

__all__ = [
    "DEFAULTS",
    "SUGGESTED",
    "SWEEP_RATES",
    "SWEEP_STEPS",
    "LRFinderResult",
    "StableSuggestion",
    "gd_blocked",
    "gd_curve",
    "gd_path",
    "gd_regime",
    "lr_range_test",
    "lr_sweep",
    "range_test_cost",
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
#: The check-it sweep: rates 1e-3 .. 10^0.5, four per decade, each trained this many steps.
SWEEP_RATES = tuple(float(v) for v in 10 ** np.arange(-3, 0.51, 0.25))
SWEEP_STEPS = 200
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
#: The rule behind "Suggested learning rate". On this network trained at a fixed rate it lands
#: within half a decade of the best rate of the check-it sweep on every built-in data set;
#: fastai's valley, made for one-cycle training, lands 0.6-1.5 decades lower (README).
SUGGESTED = "minimum/10"
#: The rate the network page trains with when the finder has no suggestion.
FALLBACK_RATE = 1e-2


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
    """One range test: rates tried, smoothed and raw losses, suggestions, early stop."""

    lrs: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    suggestions: dict[str, float | None]
    stopped_early: bool
    warnings: tuple[str, ...] = ()
    slopes: np.ndarray = field(default_factory=lambda: np.array([]))

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
    than the noise of the raw losses there (the standard deviation of their residuals from a
    straight line in log lr)?"""
    n = len(losses)
    clear = np.zeros(n, dtype=bool)
    for i in range(n):
        a, b = max(0, i - k), min(n - 1, i + k)
        if b - a < 3:
            continue
        drop = losses[a] - losses[b]
        x, r = log_lr[a : b + 1], raw[a : b + 1]
        ok = np.isfinite(r)
        if ok.sum() < 3 or not np.isfinite(drop):
            continue
        coef = np.polyfit(x[ok], r[ok], 1)
        noise = float(np.std(r[ok] - np.polyval(coef, x[ok]), ddof=2)) if ok.sum() > 3 else 0.0
        clear[i] = drop > noise
    return clear


def suggest(
    lrs, losses, stopped_early: bool = False, raw_losses=None, num_it: int | None = None
) -> tuple[dict[str, float | None], tuple[str, ...], np.ndarray]:
    """Suggestions from a smoothed loss curve: (suggestions, warnings, d loss / d log lr).

    The loss "turns up" when the test stopped on divergence or the smoothed curve, anywhere
    after its lowest point (trimmed points included), rises at least 5% above it; otherwise
    the lowest point is only where the test ended, and nothing is suggested. ``raw_losses``
    (default: the smoothed ones) measure the noise that a steepest point must beat. The first
    ``num_it // 10`` points are trimmed, ``num_it`` being the iterations asked for (default:
    the points given), as fastai trims a test that stopped early.

    >>> lrs = schedule(1e-4, 10, 60)
    >>> x = np.log10(lrs)
    >>> s, w, _ = suggest(lrs, 1 + (x + 1.5) ** 2)  # a parabola in log lr, lowest at 10^-1.5
    >>> round(math.log10(s["minimum/10"]), 1), w
    (-2.5, ())
    """
    lrs, losses = np.asarray(lrs, float), np.asarray(losses, float)
    raw = losses if raw_losses is None else np.asarray(raw_losses, float)
    slopes = np.full_like(losses, np.nan)
    if len(lrs) >= 2:
        slopes = np.gradient(losses, np.log(lrs))
    none = dict.fromkeys(SUGGESTIONS)
    lo = (len(lrs) if num_it is None else int(num_it)) // 10  # fastai: num_it // 10
    hi = len(lrs) - TRIM_END
    if hi - lo < MIN_POINTS:
        return none, (f"Only {max(hi - lo, 0)} usable points after trimming: run more iterations.",), slopes
    finite = np.isfinite(losses)
    if not finite[lo:hi].any():
        return none, ("The loss is not a finite number anywhere: no rate can be suggested.",), slopes
    x, y, dy = lrs[lo:hi], losses[lo:hi], slopes[lo:hi]
    i_min = int(np.nanargmin(y))
    g_min = lo + i_min
    after = losses[g_min:][np.isfinite(losses[g_min:])]
    turned_up = stopped_early or (after.size > 0 and after.max() >= TURN_UP * losses[g_min])
    if not turned_up:
        falling = (
            f"The loss is still falling at the largest rate tried ({lrs[-1]:.0e}): it never turns up, so no "
            "rate can be suggested. Raise the end rate."
        )
        return none, (falling,), slopes
    k = max(3, round(STEEP_WINDOW * len(lrs)))
    clear = _clear_descent(losses, raw, np.log(lrs), k)[lo:hi]
    candidates = np.flatnonzero(clear[: i_min + 1] & np.isfinite(dy[: i_min + 1]) & (dy[: i_min + 1] < 0))
    steep = int(candidates[np.argmin(dy[candidates])]) if candidates.size else None
    out = {
        "valley": float(x[_valley(np.where(np.isfinite(y), y, np.inf))]),
        "minimum/10": float(x[i_min] / 10),
        "steepest": float(x[steep]) if steep is not None else None,
    }
    warns = ()
    if steep is None:
        warns = ("No clear steepest point: nowhere does the loss fall by more than the noise of the raw losses.",)
    return out, warns, slopes


def _test_lrs(start_lr, end_lr, num_it):
    return schedule(start_lr, end_lr, num_it)


def lr_range_test(
    data: nn.Dataset,
    params: dict | None = None,
    *,
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
    seed: int = 0,
) -> LRFinderResult:
    """The range test on ``data``; ``params`` (copied, never modified) or a fresh network.

    The loss recorded at rate lr_i is the mini-batch loss just before the step taken with
    lr_i (as fastai and torch-lr-finder record it).

    Examples
    --------
    >>> r = lr_range_test(nn.make_dataset("moons", 256, seed=0), seed=0)
    >>> float(r.lrs[0]), len(r.raw_losses) == len(r.losses), len(r.lrs) <= 100
    (1e-07, True, True)
    """
    lrs = schedule(start_lr, end_lr, num_it)
    if params is None:
        params = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, seed)
    Ws, bs = nn._unpack(params)
    Ws, bs = [w.copy() for w in Ws], [b.copy() for b in bs]
    arrays = Ws + bs
    stepper = nn._Stepper(optimizer, arrays, momentum)
    rng = np.random.default_rng(seed + 1)
    batches = nn._batches(len(data.y), min(batch_size, len(data.y)), rng)
    X = data.X.astype(Ws[0].dtype, copy=False)
    raw, smooth = [], []
    avg, best = 0.0, math.inf
    stopped = False
    with np.errstate(all="ignore"):
        for i, lr in enumerate(lrs):
            progress.checkpoint()
            idx = next(batches)
            value, dW, db = nn._loss_grads(Ws, bs, X[idx], data.y[idx], activation)
            if not math.isfinite(value):
                stopped = True
                break
            avg = beta * avg + (1 - beta) * value
            s = avg / (1 - beta ** (i + 1))
            raw.append(value)
            smooth.append(s)
            best = min(best, s)
            if s > diverge * best:
                stopped = True
                break
            stepper.step(arrays, dW + db, float(lr))
    n = len(raw)
    suggestions, warns, slopes = suggest(lrs[:n], smooth, stopped, raw, num_it)
    return LRFinderResult(lrs[:n], np.array(smooth), np.array(raw), suggestions, stopped, warns, slopes)


@dataclass(frozen=True)
class StableSuggestion:
    """The median suggestion over several seeds, how much the seeds disagree, and the gradient
    check of the network the first run starts from (largest relative error, see nn.gradient_check)."""

    median: dict[str, float | None]
    spread_decades: dict[str, float | None]
    runs: tuple[LRFinderResult, ...]
    warnings: tuple[str, ...]
    gradient_error: float


def stable_suggestion(data: nn.Dataset, runs: int = 3, seed: int = 0, **kwargs) -> StableSuggestion:
    """Run the range test with seeds seed..seed+runs-1; median and spread (log10 max/min).

    A suggestion needs at least half of the runs to give one; otherwise it is None.
    """
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    results = tuple(lr_range_test(data, seed=seed + r, **kwargs) for r in range(runs))
    median, spread, warns = {}, {}, []
    for name in SUGGESTIONS:
        values = [res.suggestions[name] for res in results if res.suggestions[name] is not None]
        if len(values) < max(1, math.ceil(runs / 2)):
            median[name], spread[name] = None, None
            continue
        median[name] = float(np.exp(np.median(np.log(values))))
        spread[name] = float(np.log10(max(values) / min(values)))
    if spread.get(SUGGESTED) is not None and spread[SUGGESTED] > SPREAD_WARNING_DECADES:
        low = min(r.suggestions[SUGGESTED] for r in results if r.suggestions[SUGGESTED] is not None)
        high = max(r.suggestions[SUGGESTED] for r in results if r.suggestions[SUGGESTED] is not None)
        warns.append(
            f"The seeds disagree by {spread[SUGGESTED]:.2f} decades on the suggested rate ({low:.1e} to "
            f"{high:.1e}); the median is shown. Treat it as a range, or use more runs or a bigger batch."
        )
    for res in results:
        warns.extend(w for w in res.warnings if w not in warns)
    if median["steepest"] is None and not any("steepest" in w for w in warns) and median["valley"] is not None:
        warns.append("No clear steepest point in most runs: the loss does not fall by more than its noise there.")
    hidden, layers, activation = kwargs.get("hidden", 32), kwargs.get("layers", 1), kwargs.get("activation", "relu")
    start = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, seed)
    check = nn.gradient_check(start, data.X[:64], data.y[:64], activation)
    return StableSuggestion(median, spread, results, tuple(warns), check)


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
    """Train a fresh network (same initial weights, same batches) at each fixed rate; the
    full-data loss after ``steps`` steps. Diverged runs get loss inf.

    Used to check where the suggestion lands. All the rates train at once (``nn.train_many``).
    """
    start = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, seed)
    lrs = np.asarray(lrs, dtype=float)
    final = nn.train_many(start, data, lrs, steps, batch_size, momentum, activation, seed, optimizer)
    return pd.DataFrame({"lr": lrs, "final_loss": final})


# --- what the heavy work costs ----------------------------------------------------------------


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
    """CPU-seconds of :func:`stable_suggestion` with these settings, before it runs.

    >>> round(range_test_cost(3, 200, 32, 1, 32, activation="relu").seconds, 2)
    0.33
    """
    step = nn.step_seconds(hidden, layers, batch_size, features, classes, activation)
    return Cost(runs * num_it * step, "range_test", ("runs", "num_it", "hidden", "layers", "batch_size"))


def sweep_cost(
    hidden: int,
    layers: int,
    batch_size: int,
    features: int = 2,
    classes: int = 2,
    activation: str = "gelu",
    n_samples: int = 512,
) -> Cost:
    """CPU-seconds of :func:`lr_sweep` over :data:`SWEEP_RATES` with these settings.

    >>> round(sweep_cost(32, 1, 32, activation="relu").seconds, 2)
    0.61
    """
    many = len(SWEEP_RATES)
    seconds = SWEEP_STEPS * nn.many_step_seconds(many, hidden, layers, batch_size, features, classes, activation)
    seconds += many * nn.forward_seconds(hidden, layers, n_samples, features, classes, activation)  # final losses
    return Cost(seconds, "sweep", ("hidden", "layers", "batch_size"))


# --- the 1-D lesson ---------------------------------------------------------------------------


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


def gd_regime(rate: float) -> tuple[str, str]:
    """(regime, why) for the rate on C(x) = x^2 - 10x + 100, whose C'' = 2.

    >>> gd_regime(0.75)[0]
    'oscillates but converges'
    """
    why = "C'' = 2, so each step multiplies the distance to x = 5 by (1 − 2·rate)"
    if rate <= 0:
        return "does not move toward the minimum", why + f" = {1 - 2 * rate:g} ≥ 1."
    factor = f"{1 - 2 * rate:.3g}".replace("-", "−")
    if rate < 0.5:
        return "converges smoothly", why + f" = {factor}: a shrinking step from one side."
    if rate == 0.5:
        return "lands on the minimum in one step", why + " = 0: the Newton step 1/C''."
    if rate < 1:
        return "oscillates but converges", why + f" = {factor}: it jumps across x = 5, less each time."
    if rate == 1:
        return "oscillates forever", why + " = −1: it bounces between the same two points. The limit is 2/C'' = 1."
    return (
        "diverges",
        why + f" = {factor}, bigger than 1 in size: each jump overshoots more. Stay below 2/C'' = 1.",
    )
