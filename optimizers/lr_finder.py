"""The learning-rate range test, done carefully.

Train with an exponentially growing learning rate lr_i = start (end/start)^(i/(N-1)) (both
ends exact), smooth the loss with a debiased exponential moving average, stop when it
explodes, and read suggestions off the *smoothed* curve (trimmed of its first tenth and last
5 points):

* ``valley`` — fastai's longest-descent rule (the default),
* ``minimum/10`` — a tenth of the rate at the lowest loss,
* ``steepest`` — the most negative slope of loss against **log** lr at or before the minimum
  (against raw lr, as PyTorch Lightning does, the slope is dominated by the large rates).

Too few points, or a loss that never turns up, give None and a warning, never a wrong number.
Several seeds give a median suggestion and its spread in decades.

Also here: the seed's 1-D lesson on step size, gradient descent on C(x) = x^2 - 10x + 100.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from optimizers import nn

__all__ = [
    "LRFinderResult",
    "StableSuggestion",
    "gd_curve",
    "gd_path",
    "gd_regime",
    "lr_range_test",
    "lr_sweep",
    "schedule",
    "stable_suggestion",
    "suggest",
]

BETA = 0.98
DIVERGE = 4.0
TRIM_START = 0.1
TRIM_END = 5
MIN_POINTS = 10
SPREAD_WARNING_DECADES = 0.5


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


def suggest(lrs, losses, stopped_early: bool = False) -> tuple[dict[str, float | None], tuple[str, ...], np.ndarray]:
    """Suggestions from a smoothed loss curve: (suggestions, warnings, d loss / d log lr).

    The loss "turns up" when the test stopped on divergence or the curve ends at least 5%
    above its minimum; otherwise the minimum is only where the test ended, and nothing is
    suggested.

    >>> lrs = schedule(1e-4, 10, 60)
    >>> x = np.log10(lrs)
    >>> s, w, _ = suggest(lrs, 1 + (x + 1.5) ** 2)  # a parabola in log lr, lowest at 10^-1.5
    >>> round(math.log10(s["minimum/10"]), 1), w
    (-2.5, ())
    """
    lrs, losses = np.asarray(lrs, float), np.asarray(losses, float)
    slopes = np.full_like(losses, np.nan)
    if len(lrs) >= 2:
        slopes = np.gradient(losses, np.log(lrs))
    none = {"valley": None, "minimum/10": None, "steepest": None}
    lo = int(len(lrs) * TRIM_START)
    hi = len(lrs) - TRIM_END
    if hi - lo < MIN_POINTS:
        return none, (f"Only {max(hi - lo, 0)} usable points after trimming: run more iterations.",), slopes
    x, y, dy = lrs[lo:hi], losses[lo:hi], slopes[lo:hi]
    i_min = int(np.nanargmin(y))
    turned_up = stopped_early or losses[-1] > 1.05 * np.nanmin(losses)
    if not turned_up or (i_min >= len(y) - 1 and not stopped_early):
        return (
            none,
            (
                (
                    "The loss is still falling at the largest rate tried: it never turns up, so no rate can be "
                    "suggested. Raise end_lr."
                ),
            ),
            slopes,
        )
    steep = int(np.nanargmin(dy[: i_min + 1]))
    out = {
        "valley": float(x[_valley(y)]),
        "minimum/10": float(x[i_min] / 10),
        "steepest": float(x[steep]) if dy[steep] < 0 else None,
    }
    warns = () if out["steepest"] is not None else ("The loss never decreases: no steepest point.",)
    return out, warns, slopes


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
    momentum: float = 0.0,
    beta: float = BETA,
    diverge: float = DIVERGE,
    seed: int = 0,
) -> LRFinderResult:
    """The range test on ``data``; ``params`` (copied, never modified) or a fresh network.

    Examples
    --------
    >>> r = lr_range_test(nn.make_dataset("moons", 256, seed=0), seed=0)
    >>> float(r.lrs[0]), len(r.raw_losses) == len(r.losses), len(r.lrs) <= 100
    (1e-07, True, True)
    """
    lrs = schedule(start_lr, end_lr, num_it)
    if params is None:
        params = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, seed)
    params = {k: v.copy() for k, v in params.items()}
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    rng = np.random.default_rng(seed + 1)
    batches = nn._batches(len(data.y), min(batch_size, len(data.y)), rng)
    raw, smooth = [], []
    avg, best = 0.0, math.inf
    stopped = False
    with np.errstate(all="ignore"):
        for i, lr in enumerate(lrs):
            idx = next(batches)
            value, grads = nn.loss_and_grads(params, data.X[idx], data.y[idx], activation)
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
            params, velocity = nn.sgd_step(params, grads, velocity, float(lr), momentum)
    n = len(raw)
    suggestions, warns, slopes = suggest(lrs[:n], smooth, stopped)
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
    """Run the range test with seeds seed..seed+runs-1; median and spread (log10 max/min)."""
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    results = tuple(lr_range_test(data, seed=seed + r, **kwargs) for r in range(runs))
    median, spread, warns = {}, {}, []
    for name in ("valley", "minimum/10", "steepest"):
        values = [res.suggestions[name] for res in results if res.suggestions[name] is not None]
        if len(values) < max(1, math.ceil(runs / 2)):
            median[name], spread[name] = None, None
            continue
        median[name] = float(np.exp(np.median(np.log(values))))
        spread[name] = float(np.log10(max(values) / min(values)))
    if spread.get("valley") is not None and spread["valley"] > SPREAD_WARNING_DECADES:
        warns.append(
            f"The seeds disagree by {spread['valley']:.2f} decades on the valley rate: treat the suggestion "
            "as a range, or use more runs or a bigger batch."
        )
    for res in results:
        warns.extend(w for w in res.warnings if w not in warns)
    hidden, layers, activation = kwargs.get("hidden", 32), kwargs.get("layers", 1), kwargs.get("activation", "relu")
    start = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, seed)
    check = nn.gradient_check(start, data.X[:64], data.y[:64], activation)
    return StableSuggestion(median, spread, results, tuple(warns), check)


def lr_sweep(
    data: nn.Dataset,
    lrs,
    *,
    steps: int = 150,
    hidden: int = 32,
    layers: int = 1,
    activation: str = "relu",
    batch_size: int = 32,
    momentum: float = 0.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Train a fresh network (same initial weights) at each fixed rate; final full-data loss.

    Diverged runs get loss inf. Used to check where the suggestion lands.
    """
    start = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, seed)
    rows = []
    for lr in np.asarray(lrs, dtype=float):
        _, final = nn.train(start, data, float(lr), steps, batch_size, momentum, activation, seed)
        rows.append({"lr": float(lr), "final_loss": final})
    return pd.DataFrame(rows)


def gd_path(rate: float, x0: float = 0.0, steps: int = 12) -> pd.DataFrame:
    """Gradient descent on C(x) = x^2 - 10x + 100: x <- x - rate * (2x - 10).

    >>> gd_path(0.25, steps=3).x.round(4).tolist()
    [0.0, 2.5, 3.75, 4.375]
    """
    xs = [float(x0)]
    for _ in range(steps):
        x = xs[-1]
        nxt = x - rate * (2 * x - 10)
        if not math.isfinite(nxt) or abs(nxt) > 1e12:
            break
        xs.append(nxt)
    xs_arr = np.array(xs)
    return pd.DataFrame({"step": np.arange(len(xs_arr)), "x": xs_arr, "cost": xs_arr**2 - 10 * xs_arr + 100})


def gd_curve(path: pd.DataFrame, n: int = 121) -> pd.DataFrame:
    """C(x) over a range that covers x = 5 and every point of the path (x, cost)."""
    lo = min(-5.0, float(path.x.min()) - 1)
    hi = max(15.0, float(path.x.max()) + 1)
    x = np.linspace(lo, hi, n)
    return pd.DataFrame({"x": x, "cost": x**2 - 10 * x + 100})


def gd_regime(rate: float) -> tuple[str, str]:
    """(regime, why) for the rate on C(x) = x^2 - 10x + 100, whose C'' = 2.

    >>> gd_regime(0.75)[0]
    'oscillates but converges'
    """
    why = "C'' = 2, so each step multiplies the distance to x = 5 by (1 − 2·rate)"
    if rate <= 0:
        return "does not move toward the minimum", why + f" = {1 - 2 * rate:g} ≥ 1."
    if rate < 0.5:
        return "converges smoothly", why + f" = {1 - 2 * rate:.3g}: a shrinking step from one side."
    if rate == 0.5:
        return "lands on the minimum in one step", why + " = 0: the Newton step 1/C''."
    if rate < 1:
        return "oscillates but converges", why + f" = {1 - 2 * rate:.3g}: it jumps across x = 5, less each time."
    if rate == 1:
        return "oscillates forever", why + " = −1: it bounces between the same two points. The limit is 2/C'' = 1."
    return (
        "diverges",
        why + f" = {1 - 2 * rate:.3g}, bigger than 1 in size: each jump overshoots more. Stay below 2/C'' = 1.",
    )
