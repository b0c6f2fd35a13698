"""The Neural network page: train the numpy network, watch gradients vanish, check backprop.

:func:`analyse` does everything the page shows in one call (the learning-rate finder first
when the rate is the suggested one); :func:`analyse_cost` states its CPU time before it runs
(the fits are measured by ``python bench/lr_finder.py --fit``). Its parts:

* :func:`train_network` — train at a fixed rate, recording the full-data loss and accuracy
  before every step, and the decision regions over the 2-D data afterwards;
* :func:`gradient_norms` — at initialisation, the gradient norm of every layer for each
  activation: the tutorial's vanishing gradients (sigmoid′ ≤ 0.25, so ten layers can shrink a
  gradient by up to 0.25¹⁰ ≈ 9.5e-7), measured;
* :func:`gradient_check_curve` — the relative error of a centered-difference gradient check
  against h, in float64 and in float32: too large an h is truncation, too small is rounding,
  and h = 1e-7 in float32 fails although backprop is right.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers import lr_finder as lf
from optimizers import nn, progress
from optimizers.cost import Cost

__all__ = [
    "CHECK_HS",
    "MARK_H",
    "PASS_BELOW",
    "NetworkResult",
    "NetworkRun",
    "RateSource",
    "analyse",
    "analyse_cost",
    "check_at",
    "check_summary",
    "gradient_check_cost",
    "gradient_check_curve",
    "gradient_norms",
    "gradient_norms_cost",
    "points_table",
    "train_cost",
    "train_network",
    "vanishing_ratio",
]

#: Steps h of the gradient check: 1e-12 .. 10^-0.5, two per decade (1e-7 among them).
CHECK_HS = tuple(float(f"{10.0**e:.1e}") for e in np.arange(-12, -0.49, 0.5))
#: A check passes below these relative errors: the tutorial's 1e-6 in float64, and in float32
#: 1e-3, the default rtol of torch.autograd.gradcheck (which refuses float32 inputs).
PASS_BELOW = {"float64": 1e-6, "float32": 1e-3}
#: Samples the gradient check uses (the first ones of the data set).
CHECK_SAMPLES = 32
#: Fixed CPU-seconds not in nn's step and forward fits, measured here on tiny networks (where
#: they dominate): building the stacked perturbed networks for one h (0.33 ms measured), and
#: initialising one network with its gradients (0.8 ms).
OVERHEAD_PER_STACK = 4e-4
OVERHEAD_PER_NETWORK = 1e-3
#: Training steps by default: the check-it sweep's, for which the finder's suggestion is calibrated.
STEPS = 200
#: Points per side of the grid on which the decision regions are drawn.
GRID = 60
#: The step h the tutorial's gradient check uses: float32 fails there although backprop is right.
MARK_H = 1e-7


class RateSource(enum.Enum):
    """Where the rate the page trains with comes from."""

    CHOSEN = "chosen"  # the visitor picked it
    FINDER = "finder"  # the learning-rate finder's suggestion (see lf.FinderResult.verdict)


@dataclass(frozen=True)
class NetworkRun:
    """A trained network: loss and accuracy per step (``history``: step, loss, accuracy),
    the final full-data loss (inf if training diverged) and accuracy, and its decision
    regions (``regions``: x1, x2, predicted class, probability of that class)."""

    history: pd.DataFrame
    final_loss: float
    accuracy: float
    regions: pd.DataFrame

    @property
    def diverged(self) -> bool:
        return not math.isfinite(self.final_loss)


def _regions(params, data: nn.Dataset, activation: str, grid: int) -> pd.DataFrame:
    lo, hi = data.X.min(axis=0) - 0.5, data.X.max(axis=0) + 0.5
    g1, g2 = np.linspace(lo[0], hi[0], grid), np.linspace(lo[1], hi[1], grid)
    xx, yy = np.meshgrid(g1, g2)
    pts = np.c_[xx.ravel(), yy.ravel()]
    with np.errstate(all="ignore"):
        proba = nn.predict_proba(params, pts, activation)
    ok = np.isfinite(proba).all(axis=1)
    cls = np.where(ok, proba.argmax(axis=1), -1)
    conf = np.where(ok, proba.max(axis=1), np.nan)
    return pd.DataFrame({"x1": pts[:, 0], "x2": pts[:, 1], "predicted": cls, "probability": conf})


def train_network(
    data: nn.Dataset,
    *,
    lr: float,
    steps: int = STEPS,
    hidden: int = 32,
    layers: int = 1,
    activation: str = "relu",
    optimizer: str = "sgd-momentum",
    batch_size: int = 32,
    momentum: float = 0.9,
    seed: int = 0,
    grid: int = GRID,
) -> NetworkRun:
    """Train a fresh network (initialised with ``seed``) for ``steps`` steps at rate ``lr``.

    Examples
    --------
    >>> run = train_network(nn.make_dataset("moons", 256, seed=1), lr=0.1, steps=200, grid=10)
    >>> run.accuracy > 0.95, len(run.history), int(run.history.step.iloc[-1])
    (True, 201, 200)
    """
    if data.X.shape[1] != 2:
        raise ValueError(f"the decision regions need 2 features, got {data.X.shape[1]}")
    if not 1 <= layers <= nn.MAX_DEPTH:
        raise ValueError(f"layers must be 1 to {nn.MAX_DEPTH}, got {layers}")
    start = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, seed)
    res = nn.train(start, data, lr, steps, batch_size, momentum, activation, seed, optimizer, record=True)
    history = pd.DataFrame(
        {"step": np.arange(len(res.losses)), "loss": res.losses, "accuracy": res.accuracies}
    ).replace([np.inf], np.nan)
    if res.diverged:
        regions = pd.DataFrame({"x1": [], "x2": [], "predicted": [], "probability": []})
    else:
        regions = _regions(res.params, data, activation, grid)
    return NetworkRun(history, res.final_loss, float(res.accuracies[-1]), regions)


def gradient_norms(data: nn.Dataset, *, hidden: int = 32, layers: int = 1, seed: int = 0) -> pd.DataFrame:
    """At initialisation, ‖∂loss/∂W‖ of every layer for each activation, on the whole data set.

    Each activation gets its own initialisation (He or Xavier, as :func:`nn.init_params`),
    drawn with the same ``seed``. Layer 1 is nearest the input; layer ``layers + 1`` is the
    output layer.

    >>> t = gradient_norms(nn.make_dataset("moons", 128, seed=0), hidden=16, layers=8)
    >>> list(t.columns), len(t) == 6 * 9
    (['activation', 'layer', 'grad_norm'], True)
    """
    rows = []
    for act in nn.ACTIVATIONS:
        params = nn.init_params(nn.layer_sizes(data, hidden, layers), act, seed)
        _, grads = nn.loss_and_grads(params, data.X, data.y, act)
        rows += [
            {"activation": act, "layer": i + 1, "grad_norm": float(np.linalg.norm(grads[f"W{i}"]))}
            for i in range(layers + 1)
        ]
    return pd.DataFrame(rows)


def vanishing_ratio(table: pd.DataFrame, activation: str) -> float:
    """‖gradient of layer 1‖ / ‖gradient of the output layer‖ for ``activation``: how much
    of the gradient survives the trip back through every hidden layer."""
    t = table[table.activation == activation].sort_values("layer")
    first, last = float(t.grad_norm.iloc[0]), float(t.grad_norm.iloc[-1])
    return first / last if last > 0 else float("nan")


def gradient_check_curve(
    data: nn.Dataset, *, hidden: int = 32, layers: int = 1, activation: str = "relu", seed: int = 0, hs=CHECK_HS
) -> pd.DataFrame:
    """Relative error of the gradient check against h, in float64 and float32.

    The same network (float32 is the float64 one rounded), the same samples and entries;
    columns dtype, h, rel_error, passes (below :data:`PASS_BELOW` for that dtype).
    """
    params = nn.init_params(nn.layer_sizes(data, hidden, layers), activation, seed)
    X, y = data.X[:CHECK_SAMPLES], data.y[:CHECK_SAMPLES]
    frames = []
    for dtype in ("float64", "float32"):
        p = {k: v.astype(dtype) for k, v in params.items()}
        errs = nn.gradient_check_errors(p, X, y, activation, hs, per_layer=1, seed=seed)
        frames.append(
            pd.DataFrame({"dtype": dtype, "h": list(hs), "rel_error": errs, "passes": errs < PASS_BELOW[dtype]})
        )
    return pd.concat(frames, ignore_index=True)


def points_table(data: nn.Dataset) -> pd.DataFrame:
    """The data as x1, x2, label (for plotting under the decision regions)."""
    return pd.DataFrame({"x1": data.X[:, 0], "x2": data.X[:, 1], "label": data.y})


def check_summary(curve: pd.DataFrame, dtype: str) -> tuple[float, float] | None:
    """(smallest, largest) h at which ``dtype`` passes, or None if it passes nowhere.

    >>> t = pd.DataFrame({"dtype": "float64", "h": [1e-9, 1e-6, 1e-3], "passes": [False, True, True]})
    >>> check_summary(t, "float64")
    (1e-06, 0.001)
    """
    ok = curve[(curve.dtype == dtype) & curve.passes]
    return (float(ok.h.min()), float(ok.h.max())) if len(ok) else None


def check_at(curve: pd.DataFrame, h: float = MARK_H) -> dict[str, tuple[float, bool]] | None:
    """(relative error, passes) of each dtype at step ``h``, or None if the curve lacks it.

    >>> t = pd.DataFrame({"dtype": ["float64", "float32"], "h": [1e-7, 1e-7], "rel_error": [4e-9, 0.6],
    ...                   "passes": [True, False]})
    >>> check_at(t)
    {'float64': (4e-09, True), 'float32': (0.6, False)}
    """
    at = curve[curve.h == h].set_index("dtype")
    if not {"float64", "float32"} <= set(at.index):
        return None
    return {d: (float(at.rel_error[d]), bool(at.passes[d])) for d in ("float64", "float32")}


@dataclass(frozen=True)
class NetworkResult:
    """Everything the Neural network page shows.

    ``lr`` and ``source``: the rate trained with and where it came from; ``finder``: the
    learning-rate finder's result when it chose the rate (None otherwise). ``run``: the
    training. ``norms`` (activation, layer, grad_norm) and ``ratios`` (layer 1 over the
    output layer, per activation): the gradients at initialisation. ``check`` (dtype, h,
    rel_error, passes), ``spans`` (where each dtype passes) and ``at_mark`` (both dtypes at
    MARK_H): the gradient check. ``layers`` and ``classes``: the depth, and chance ln(classes).
    """

    lr: float
    source: RateSource
    finder: lf.FinderResult | None
    run: NetworkRun
    norms: pd.DataFrame
    ratios: dict[str, float]
    check: pd.DataFrame
    spans: dict[str, tuple[float, float] | None]
    at_mark: dict[str, tuple[float, bool]] | None
    layers: int
    classes: int


def analyse(
    data: nn.Dataset,
    *,
    lr: float | None = None,
    steps: int = STEPS,
    hidden: int = 32,
    layers: int = 1,
    activation: str = "relu",
    optimizer: str = "sgd-momentum",
    seed: int = 0,
) -> NetworkResult:
    """Train at ``lr`` (None: the learning-rate finder's suggestion for these settings, with
    its defaults and this ``seed``), then the gradient norms and the gradient check.

    Reports progress (:func:`optimizers.progress.checkpoint`) across the parts.

    Examples
    --------
    >>> r = analyse(nn.make_dataset("spirals", 512, seed=0), activation="sigmoid")  # issue 19
    >>> f"{r.lr:.2e}", r.finder.verdict.name, f"{r.run.accuracy:.1%}"
    ('1.00e+00', 'CHECK_BEST', '84.4%')
    """
    net = {"hidden": hidden, "layers": layers, "activation": activation}
    shape = (data.X.shape[1], data.classes, activation)
    parts = [
        finder_cost(hidden, layers, *shape, len(data.y)).seconds if lr is None else 0.0,
        train_cost(steps, hidden, layers, lf.DEFAULTS["batch_size"], len(data.y), *shape).seconds,
    ]
    total = sum(parts) + gradient_norms_cost(hidden, layers).seconds + gradient_check_cost(hidden, layers).seconds
    edges = np.cumsum([0.0, *parts]) / total
    finder = None
    if lr is None:
        with progress.part(edges[0], edges[1]):
            finder = lf.analyse(
                data,
                seed=seed,
                optimizer=optimizer,
                batch_size=lf.DEFAULTS["batch_size"],
                momentum=lf.DEFAULTS["momentum"],
                **net,
            )
        lr = finder.suggested
    with progress.part(edges[1], edges[2]):
        run = train_network(
            data, lr=lr, steps=steps, optimizer=optimizer, batch_size=lf.DEFAULTS["batch_size"], seed=seed, **net
        )
    norms = gradient_norms(data, hidden=hidden, layers=layers, seed=seed)
    check = gradient_check_curve(data, seed=seed, **net)
    return NetworkResult(
        lr=float(lr),
        source=RateSource.CHOSEN if finder is None else RateSource.FINDER,
        finder=finder,
        run=run,
        norms=norms,
        ratios={a: vanishing_ratio(norms, a) for a in nn.ACTIVATIONS},
        check=check,
        spans={d: check_summary(check, d) for d in ("float64", "float32")},
        at_mark=check_at(check),
        layers=int(layers),
        classes=data.classes,
    )


# --- what the heavy work costs ----------------------------------------------------------------


def train_cost(
    steps: int,
    hidden: int,
    layers: int,
    batch_size: int = 32,
    n_samples: int = 512,
    features: int = 2,
    classes: int = 2,
    activation: str = "gelu",
) -> Cost:
    """CPU-seconds of :func:`train_network`: a training step plus a full-data evaluation per
    step (:func:`optimizers.nn.step_seconds`), and the decision regions."""
    shape = (features, classes)
    per_step = nn.step_seconds(hidden, layers, batch_size, *shape, activation)
    per_step += nn.forward_seconds(hidden, layers, n_samples, *shape, activation)
    seconds = steps * per_step + nn.forward_seconds(hidden, layers, GRID * GRID, *shape, activation)
    return Cost(seconds, "training", ("steps", "hidden", "layers"))


def gradient_norms_cost(hidden: int, layers: int, n_samples: int = 512, features: int = 2, classes: int = 2) -> Cost:
    """CPU-seconds of :func:`gradient_norms`: a forward and backward pass per activation."""
    per = 3 * nn.forward_seconds(hidden, layers, n_samples, features, classes) + OVERHEAD_PER_NETWORK
    return Cost(len(nn.ACTIVATIONS) * per, "gradient_norms", ("hidden", "layers"))


def gradient_check_cost(
    hidden: int, layers: int, features: int = 2, classes: int = 2, activation: str = "gelu"
) -> Cost:
    """CPU-seconds of :func:`gradient_check_curve`: for each h and dtype, one stacked forward
    pass of two perturbed networks per checked entry (a weight and a bias per layer)."""
    copies = 2 * 2 * (layers + 1)
    rows = copies * CHECK_SAMPLES
    per_h = nn.forward_seconds(hidden, layers, rows, features, classes, activation) + OVERHEAD_PER_STACK
    return Cost(2 * len(CHECK_HS) * per_h, "gradient_check", ("hidden", "layers"))


def finder_cost(
    hidden: int, layers: int, features: int = 2, classes: int = 2, activation: str = "gelu", n_samples: int = 512
) -> Cost:
    """CPU-seconds of the learning-rate finder this page asks for the suggested rate (its
    defaults: RUNS range tests of NUM_IT steps, then the check).

    >>> round(finder_cost(32, 1, activation="relu").seconds, 2)
    0.32
    """
    batch = lf.DEFAULTS["batch_size"]
    return lf.analyse_cost(lf.RUNS, lf.NUM_IT, hidden, layers, batch, features, classes, activation, n_samples)


def analyse_cost(
    steps: int,
    hidden: int,
    layers: int,
    *,
    suggest: bool,
    activation: str = "gelu",
    n_samples: int = 512,
    features: int = 2,
    classes: int = 2,
) -> Cost:
    """Everything :func:`analyse` computes: the finder (only when the rate is the suggested
    one), training, the gradient norms and the check. What lowers it: steps, width, depth.

    >>> analyse_cost(STEPS, 32, 1, suggest=True, activation="relu").tasks
    ('range_test', 'sweep', 'training', 'gradient_norms', 'gradient_check')
    """
    shape = (features, classes)
    total = (
        train_cost(steps, hidden, layers, lf.DEFAULTS["batch_size"], n_samples, *shape, activation)
        + gradient_norms_cost(hidden, layers, n_samples, *shape)
        + gradient_check_cost(hidden, layers, *shape, activation)
    )
    if suggest:
        total = finder_cost(hidden, layers, *shape, activation, n_samples) + total
    return Cost(total.seconds, total.tasks, ("steps", "hidden", "layers"))
