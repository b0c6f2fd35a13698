"""A small multilayer perceptron in numpy: the seed's "simple neural network".

Six activations (relu, tanh, sigmoid, gelu, silu, softplus) with their derivatives, softmax
cross-entropy computed with log-sum-exp, backpropagation written out by hand (checked against
centered differences by :func:`gradient_check`), and the two optimizers people train with,
written exactly as PyTorch defines them:

* ``sgd-momentum`` is ``torch.optim.SGD(lr, momentum)``: buf = μ·buf + g (the first step
  buf = g), then p ← p − lr·buf. The rate multiplies the whole buffer at the step it is
  applied, so a rate that changes every step (a range test) gives PyTorch's curve.
* ``adam`` is ``torch.optim.Adam(lr)``: β1 = 0.9, β2 = 0.999, eps = 1e-8, bias-corrected,
  p ← p − lr/(1 − β1^t) · m / (√v/√(1 − β2^t) + eps).

He initialisation for the ReLU family (relu, gelu, silu, softplus), Xavier for tanh and
sigmoid. Any float dtype (float64 by default, float32 for the gradient-check lesson). All
randomness comes from a ``seed``; public functions never modify their inputs.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import erf, expit

from optimizers import progress
from optimizers.tables import read_csv_bytes

__all__ = [
    "ACTIVATIONS",
    "ADAM_BETAS",
    "ADAM_EPS",
    "DATASETS",
    "MAX_DEPTH",
    "OPTIMIZERS",
    "AdamState",
    "Dataset",
    "ManyResult",
    "TrainResult",
    "accuracy",
    "activation",
    "activation_grad",
    "adam_step",
    "dataset_from_csv",
    "forward_seconds",
    "gradient_check",
    "gradient_check_errors",
    "init_params",
    "layer_sizes",
    "loss",
    "loss_and_grads",
    "make_dataset",
    "many_step_seconds",
    "predict_proba",
    "sgd_step",
    "stack_groups",
    "step_seconds",
    "train",
    "train_many",
]

ACTIVATIONS = ("relu", "tanh", "sigmoid", "gelu", "silu", "softplus")
#: Activations initialised with He (std √(2/fan_in)); the others get Xavier (√(2/(fan_in + fan_out))).
HE_INIT = ("relu", "gelu", "silu", "softplus")
OPTIMIZERS = ("sgd-momentum", "adam")
DATASETS = ("moons", "spirals", "blobs")
MAX_FEATURES = 20
MAX_CLASSES = 10
#: Hidden layers at most (the pages' depth sliders stop here).
MAX_DEPTH = 8
#: torch.optim.Adam's defaults.
ADAM_BETAS = (0.9, 0.999)
ADAM_EPS = 1e-8
_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True)
class Dataset:
    """Standardised features X (n x d) and integer labels y in 0..k-1."""

    X: np.ndarray
    y: np.ndarray
    name: str

    @property
    def classes(self) -> int:
        return int(self.y.max()) + 1


def _standardise(X: np.ndarray) -> np.ndarray:
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def make_dataset(name: str = "moons", n: int = 512, seed: int = 0, noise: float = 0.15) -> Dataset:
    """A synthetic 2-D classification set: two moons, two spirals, or three blobs.

    The spirals make one and a quarter turns: a network of a few dozen units separates them
    in a few hundred steps, which is what a page can afford to train.

    >>> d = make_dataset("moons", 100, seed=1)
    >>> d.X.shape, sorted(set(d.y.tolist()))
    ((100, 2), [0, 1])
    """
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, got {name!r}")
    if n < 10:
        raise ValueError(f"need at least 10 samples, got {n}")
    rng = np.random.default_rng(seed)
    if name == "moons":
        t = rng.uniform(0, math.pi, n)
        y = rng.integers(0, 2, n)
        X = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
        X = X + rng.normal(0, noise, X.shape)
    elif name == "spirals":
        y = rng.integers(0, 2, n)
        r = rng.uniform(0.15, 1.0, n)
        angle = 2.5 * r * math.pi + y * math.pi
        X = np.c_[r * np.cos(angle), r * np.sin(angle)] + rng.normal(0, noise / 4, (n, 2))
    else:
        y = rng.integers(0, 3, n)
        centres = np.array([[0.0, 0.0], [2.5, 1.0], [0.5, 2.5]])
        X = centres[y] + rng.normal(0, 0.6 + noise, (n, 2))
    return Dataset(_standardise(X), y.astype(int), name)


def dataset_from_csv(data: bytes, max_rows: int = 5000) -> Dataset:
    """Numeric feature columns and a ``label`` column (any values: they become classes).

    Raises ValueError with a message a user can act on.
    """
    df = read_csv_bytes(data)
    if "label" not in df.columns:
        raise ValueError(f"The file needs a 'label' column; found {', '.join(map(str, df.columns)) or 'none'}.")
    df = df.dropna(how="all")
    if len(df) < 10:
        raise ValueError(f"Need at least 10 rows, got {len(df)}.")
    if len(df) > max_rows:
        raise ValueError(f"At most {max_rows:,} rows, got {len(df):,}.")
    features = [c for c in df.columns if c != "label"]
    if not features:
        raise ValueError("The file needs at least one numeric feature column besides 'label'.")
    if len(features) > MAX_FEATURES:
        raise ValueError(f"At most {MAX_FEATURES} feature columns, got {len(features)}.")
    X = df[features].apply(pd.to_numeric, errors="coerce")
    bad = X.isna() | ~np.isfinite(X.to_numpy(dtype=float, na_value=np.nan))
    if bad.to_numpy().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        raise ValueError(
            f"Row {row + 1}: column '{features[col]}' must be a number, got {df[features[col]].iloc[row]!r}."
        )
    if df["label"].isna().any():
        raise ValueError(f"Row {int(np.argmax(df['label'].isna().to_numpy())) + 1}: the label is empty.")
    labels, y = np.unique(df["label"].astype(str).to_numpy(), return_inverse=True)
    if not 2 <= len(labels) <= MAX_CLASSES:
        raise ValueError(f"The label column needs 2 to {MAX_CLASSES} classes, got {len(labels)}.")
    return Dataset(_standardise(X.to_numpy(dtype=float)), y.astype(int), "your data")


def layer_sizes(data: Dataset, hidden: int, layers: int) -> list[int]:
    """[features, hidden, ..., classes] for a network with ``layers`` hidden layers."""
    return [data.X.shape[1], *([int(hidden)] * int(layers)), data.classes]


def _check_activation(name: str) -> None:
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {name!r}")


def init_params(sizes: list[int], activation: str = "relu", seed: int = 0, dtype=np.float64) -> dict[str, np.ndarray]:
    """He (relu, gelu, silu, softplus) or Xavier (tanh, sigmoid) normal weights, zero biases,
    for layer sizes [in, h1, ..., out]. The draws are float64 and then cast, so a float32
    network starts from the float64 network rounded."""
    _check_activation(activation)
    rng = np.random.default_rng(seed)
    params = {}
    for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        std = math.sqrt(2.0 / fan_in) if activation in HE_INIT else math.sqrt(2.0 / (fan_in + fan_out))
        params[f"W{i}"] = rng.normal(0.0, std, (fan_in, fan_out)).astype(dtype)
        params[f"b{i}"] = np.zeros(fan_out, dtype=dtype)
    return params


def activation(z: np.ndarray, name: str) -> np.ndarray:
    """The activation applied elementwise; never overflows (sigmoid via ``expit``, softplus
    as max(z, 0) + log1p(e^−|z|)), and GELU is the exact z·Φ(z) (PyTorch's default).

    >>> [round(float(activation(np.array(0.0), a)), 4) for a in ACTIVATIONS]
    [0.0, 0.0, 0.5, 0.0, 0.0, 0.6931]
    """
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "tanh":
        return np.tanh(z)
    if name == "sigmoid":
        return expit(z)
    if name == "gelu":
        return z * (0.5 * (1.0 + erf(z / _SQRT2)))
    if name == "silu":
        return z * expit(z)
    if name == "softplus":
        return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {name!r}")


def activation_grad(z: np.ndarray, a: np.ndarray, name: str) -> np.ndarray:
    """d activation / dz at z (``a`` is activation(z)). ReLU at exactly 0 gets the
    subgradient 0, as PyTorch does. sigmoid′ = σ(1 − σ) ≤ 0.25, tanh′ = 1 − tanh² ≤ 1.

    >>> [round(float(activation_grad(np.array(0.0), activation(np.array(0.0), a), a)), 4) for a in ACTIVATIONS]
    [0.0, 1.0, 0.25, 0.5, 0.5, 0.5]
    """
    if name == "relu":
        return (z > 0).astype(z.dtype)
    if name == "tanh":
        return 1.0 - a * a
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "gelu":
        return 0.5 * (1.0 + erf(z / _SQRT2)) + z * (_INV_SQRT_2PI * np.exp(-0.5 * z * z))
    if name == "silu":
        s = expit(z)
        return s * (1.0 + z * (1.0 - s))
    if name == "softplus":
        return expit(z)
    raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {name!r}")


def _n_layers(params: dict[str, np.ndarray]) -> int:
    return len(params) // 2


def _forward(Ws, bs, X, act: str):
    """Pre-activations and activations of every layer; the last entry of ``acts`` is the logits."""
    L = len(Ws)
    acts, pre = [X], []
    a = X
    for i in range(L):
        z = a @ Ws[i] + bs[i]
        pre.append(z)
        a = z if i == L - 1 else activation(z, act)
        acts.append(a)
    return pre, acts


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shift = logits - logits.max(axis=1, keepdims=True)  # log-sum-exp: nothing overflows
    return shift - np.log(np.exp(shift).sum(axis=1, keepdims=True))


def _loss_grads(Ws, bs, X, y, act: str):
    """Mean cross-entropy and the gradients as lists (dW per layer, db per layer)."""
    n = X.shape[0]
    pre, acts = _forward(Ws, bs, X, act)
    log_probs = _log_softmax(acts[-1])
    rows = np.arange(n)
    value = -log_probs[rows, y].mean()
    grad = np.exp(log_probs)
    grad[rows, y] -= 1.0
    grad /= n
    L = len(Ws)
    dW, db = [None] * L, [None] * L
    for i in range(L - 1, -1, -1):
        dW[i] = acts[i].T @ grad
        db[i] = grad.sum(axis=0)
        if i:
            grad = (grad @ Ws[i].T) * activation_grad(pre[i - 1], acts[i], act)
    return float(value), dW, db


def _unpack(params):
    L = _n_layers(params)
    return [params[f"W{i}"] for i in range(L)], [params[f"b{i}"] for i in range(L)]


def loss_and_grads(params, X, y, activation: str = "relu"):
    """Mean softmax cross-entropy and its gradient for every parameter (backpropagation).

    Computed in the parameters' dtype (X is cast to it).

    >>> p = init_params([2, 4, 2], "tanh", seed=0)
    >>> value, grads = loss_and_grads(p, np.zeros((3, 2)), np.array([0, 1, 0]), "tanh")
    >>> round(value, 4), sorted(grads)  # zero inputs and biases: both classes 1/2, loss ln 2
    (0.6931, ['W0', 'W1', 'b0', 'b1'])
    """
    _check_activation(activation)
    Ws, bs = _unpack(params)
    X = np.asarray(X, dtype=Ws[0].dtype)
    value, dW, db = _loss_grads(Ws, bs, X, np.asarray(y), activation)
    grads = {}
    for i in range(len(Ws)):
        grads[f"W{i}"], grads[f"b{i}"] = dW[i], db[i]
    return value, grads


def loss(params, X, y, activation: str = "relu") -> float:
    """Mean softmax cross-entropy (forward pass only)."""
    Ws, bs = _unpack(params)
    X = np.asarray(X, dtype=Ws[0].dtype)
    _, acts = _forward(Ws, bs, X, activation)
    return float(-_log_softmax(acts[-1])[np.arange(X.shape[0]), y].mean())


def predict_proba(params, X, activation: str = "relu") -> np.ndarray:
    """Class probabilities (softmax of the logits), one row per sample."""
    Ws, bs = _unpack(params)
    _, acts = _forward(Ws, bs, np.asarray(X, dtype=Ws[0].dtype), activation)
    return np.exp(_log_softmax(acts[-1]))


def accuracy(params, X, y, activation: str = "relu") -> float:
    """Share of samples whose most probable class is the label."""
    Ws, bs = _unpack(params)
    _, acts = _forward(Ws, bs, np.asarray(X, dtype=Ws[0].dtype), activation)
    return float((acts[-1].argmax(axis=1) == y).mean())


# --- what a step costs ------------------------------------------------------------------------

#: CPU-seconds on the reference machine (2 cores, the development box), for the features
#: (1, layers + 1, multiply-adds, activation values, parameters) of :func:`_features`: a cost
#: per call, per layer (numpy's calls), and per network its arithmetic. Fitted by
#: ``python bench/lr_finder.py --fit`` on 2026-12-03: non-negative least squares on relative
#: error, times a margin of 1.5 (bench.lr_finder.MARGIN), on the slowest of relu/gelu/sigmoid
#: with either optimizer, measured in a worker of the pool with one BLAS thread, on widths
#: 8-128, depths 1-8, batches 8-256: STEP_COSTS on single-network training steps (64 points),
#: FORWARD_COSTS on forward passes of 64-3600 rows (48 points), MANY_COSTS on steps of stacks
#: of 1, 3, 8 and 16 networks, each with its own mini-batches (256 points). The machine was
#: shared (load average 5-10); the slowest point measured is 1.95x (steps), 2.6x (forward
#: passes) and 2.1x (stacks) the central fit, and the pool stops a task only at 3x its
#: estimate + 1 s. ReLU's activation values cost less than the others' (erf, exp, tanh):
#: measured 0.35-0.6x gelu's, counted as 0.6x.
ACTIVATION_COST = {"relu": 0.6}
STEP_COSTS = (0.000126, 4.69e-05, 3.6e-10, 7.67e-08, 4.75e-08)
FORWARD_COSTS = (6.34e-05, 0.0, 1.8e-10, 1.86e-08, 0.0)
MANY_COSTS = (0.000113, 5.52e-05, 1.45e-10, 7.56e-08, 2.26e-08)


def _features(
    hidden: int, layers: int, rows: int, features: int, classes: int, copies: int = 1, activation: str = "gelu"
) -> np.ndarray:
    weights = features * hidden + (layers - 1) * hidden * hidden + hidden * classes
    units = copies * rows * hidden * layers * ACTIVATION_COST.get(activation, 1.0)
    return np.array([1.0, layers + 1.0, copies * rows * weights, units, copies * weights])


def step_seconds(
    hidden: int, layers: int, batch_size: int, features: int = 2, classes: int = 2, activation: str = "gelu"
) -> float:
    """CPU-seconds of one training step (forward, backward, optimizer update; any activation,
    either optimizer; ``activation`` only makes relu cheaper) on the reference machine: a
    conservative fit of measured times.

    >>> step_seconds(32, 1, 32) < step_seconds(32, 8, 32) < step_seconds(128, 8, 256)
    True
    """
    return float(np.dot(STEP_COSTS, _features(hidden, layers, batch_size, features, classes, 1, activation)))


def many_step_seconds(
    copies: int,
    hidden: int,
    layers: int,
    batch_size: int,
    features: int = 2,
    classes: int = 2,
    activation: str = "gelu",
) -> float:
    """CPU-seconds of one step of a stack of ``copies`` networks (:class:`_Stack`: the range
    tests over seeds, :func:`train_many`), a conservative fit of measured times.

    >>> many_step_seconds(16, 32, 1, 32) < 16 * step_seconds(32, 1, 32)
    True
    """
    return float(np.dot(MANY_COSTS, _features(hidden, layers, batch_size, features, classes, copies, activation)))


def forward_seconds(
    hidden: int, layers: int, rows: int, features: int = 2, classes: int = 2, activation: str = "gelu"
) -> float:
    """CPU-seconds of one forward pass and loss on ``rows`` samples (a conservative fit)."""
    return float(np.dot(FORWARD_COSTS, _features(hidden, layers, rows, features, classes, 1, activation)))


# --- optimizers, exactly as torch.optim defines them ---------------------------------------


def sgd_step(params, grads, buf, lr: float, momentum: float = 0.0):
    """One step of ``torch.optim.SGD(lr=lr, momentum=momentum)``; returns (params, buf).

    buf = μ·buf + g, with buf = g on the first step (pass ``buf=None``); p ← p − lr·buf.
    With momentum 0 there is no buffer (None is returned) and p ← p − lr·g. Inputs untouched.

    >>> p, b = sgd_step({"w": np.array([1.0])}, {"w": np.array([0.5])}, None, lr=0.1, momentum=0.9)
    >>> float(p["w"][0]), float(b["w"][0])
    (0.95, 0.5)
    >>> p, b = sgd_step(p, {"w": np.array([0.5])}, b, lr=0.2, momentum=0.9)  # buf 0.9*0.5 + 0.5
    >>> round(float(p["w"][0]), 12), round(float(b["w"][0]), 12)
    (0.76, 0.95)
    """
    if momentum == 0:
        return {k: params[k] - lr * grads[k] for k in params}, None
    new_buf = {k: grads[k].copy() for k in params} if buf is None else {k: momentum * buf[k] + grads[k] for k in params}
    return {k: params[k] - lr * new_buf[k] for k in params}, new_buf


@dataclass(frozen=True)
class AdamState:
    """Adam's step count t and its two moment estimates (exp_avg m, exp_avg_sq v)."""

    step: int
    m: dict
    v: dict


def adam_step(params, grads, state: AdamState | None, lr: float, betas=ADAM_BETAS, eps: float = ADAM_EPS):
    """One step of ``torch.optim.Adam(lr=lr)`` (β1 0.9, β2 0.999, eps 1e-8); returns (params, state).

    m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², and with t the step number (1 first)
    p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + eps). Pass ``state=None`` on the first
    step. Inputs untouched.

    >>> p, s = adam_step({"w": np.array([1.0])}, {"w": np.array([0.5])}, None, lr=0.1)
    >>> round(float(p["w"][0]), 6), s.step  # the first step moves every weight by about lr
    (0.9, 1)
    """
    b1, b2 = betas
    if state is None:
        state = AdamState(
            0, {k: np.zeros_like(v) for k, v in params.items()}, {k: np.zeros_like(v) for k, v in params.items()}
        )
    t = state.step + 1
    m = {k: b1 * state.m[k] + (1 - b1) * grads[k] for k in params}
    v = {k: b2 * state.v[k] + (1 - b2) * grads[k] * grads[k] for k in params}
    step_size = lr / (1 - b1**t)
    root_bc2 = math.sqrt(1 - b2**t)
    new = {k: params[k] - step_size * m[k] / (np.sqrt(v[k]) / root_bc2 + eps) for k in params}
    return new, AdamState(t, m, v)


class _Stepper:
    """The optimizers above, updating lists of arrays in place (the training loops' hot path).

    Same arithmetic, same order as :func:`sgd_step` and :func:`adam_step`; a test checks
    that both give bit-identical weights.
    """

    def __init__(self, optimizer: str, arrays: list[np.ndarray], momentum: float = 0.9) -> None:
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}")
        self.optimizer, self.momentum, self.t = optimizer, float(momentum), 0
        if optimizer == "adam":
            self.m = [np.zeros_like(a) for a in arrays]
            self.v = [np.zeros_like(a) for a in arrays]
        else:
            self.buf = None

    def step(self, arrays: list[np.ndarray], grads: list[np.ndarray], lr) -> None:
        """One step; ``lr`` is a number, or an array that broadcasts against stacked networks."""
        self.t += 1
        if self.optimizer == "adam":
            b1, b2 = ADAM_BETAS
            step_size = lr / (1 - b1**self.t)
            root_bc2 = math.sqrt(1 - b2**self.t)
            for p, g, m, v in zip(arrays, grads, self.m, self.v, strict=True):
                m[...] = b1 * m + (1 - b1) * g
                v[...] = b2 * v + (1 - b2) * g * g
                p -= step_size * m / (np.sqrt(v) / root_bc2 + ADAM_EPS)
            return
        mu = self.momentum
        if mu == 0:
            for p, g in zip(arrays, grads, strict=True):
                p -= lr * g
            return
        if self.buf is None:
            self.buf = [g.copy() for g in grads]
        else:
            for b, g in zip(self.buf, grads, strict=True):
                b[...] = mu * b + g
        for p, b in zip(arrays, self.buf, strict=True):
            p -= lr * b


def _batches(n: int, batch_size: int, rng: np.random.Generator):
    """Shuffled mini-batches, a fresh permutation each epoch (a DataLoader with shuffle=True, drop_last=True)."""
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start : start + batch_size]


@dataclass(frozen=True)
class TrainResult:
    """Weights after training, the full-data loss then (inf if training diverged), and, when
    recorded, the full-data loss and accuracy before each step and after the last."""

    params: dict
    final_loss: float
    losses: np.ndarray
    accuracies: np.ndarray

    @property
    def diverged(self) -> bool:
        return not math.isfinite(self.final_loss)


def train(
    params,
    data: Dataset,
    lr: float,
    steps: int,
    batch_size: int = 32,
    momentum: float = 0.9,
    activation: str = "relu",
    seed: int = 0,
    optimizer: str = "sgd-momentum",
    record: bool = False,
) -> TrainResult:
    """Mini-batch training for ``steps`` steps at a fixed rate with ``optimizer``.

    ``momentum`` applies to ``sgd-momentum`` only (Adam's β1 is 0.9). With ``record`` the
    full-data loss and accuracy are measured before every step and after the last (steps + 1
    values each). Calls :func:`optimizers.progress.checkpoint` between steps.

    >>> d = make_dataset("moons", 256, seed=2)
    >>> r = train(init_params([2, 16, 2], "tanh", seed=2), d, 0.1, 300, activation="tanh", seed=2)
    >>> bool(r.final_loss < 0.2)
    True
    """
    _check_activation(activation)
    if not (math.isfinite(lr) and lr >= 0):
        raise ValueError(f"lr must be a finite number >= 0, got {lr}")
    rng = np.random.default_rng(seed)
    batch_size = min(int(batch_size), len(data.y))
    Ws, bs = _unpack(params)
    Ws, bs = [w.copy() for w in Ws], [b.copy() for b in bs]
    arrays = Ws + bs
    stepper = _Stepper(optimizer, arrays, momentum)
    X = data.X.astype(Ws[0].dtype, copy=False)
    batches = _batches(len(data.y), batch_size, rng)
    losses, accs = [], []
    L = len(Ws)
    diverged = False
    with np.errstate(all="ignore"):
        for t in range(int(steps)):
            progress.checkpoint(t / max(int(steps), 1))
            if record:
                value, acc = _evaluate(Ws, bs, X, data.y, activation)
                losses.append(value)
                accs.append(acc)
            idx = next(batches)
            _, dW, db = _loss_grads(Ws, bs, X[idx], data.y[idx], activation)
            stepper.step(arrays, dW + db, lr)
            if not all(np.isfinite(w).all() for w in Ws[L - 1 :]):
                diverged = True
                break
        final, acc = _evaluate(Ws, bs, X, data.y, activation)
    if diverged or not math.isfinite(final):
        final = math.inf
    if record:
        losses.append(final)
        accs.append(acc)
    out = {}
    for i in range(L):
        out[f"W{i}"], out[f"b{i}"] = Ws[i], bs[i]
    return TrainResult(out, final, np.array(losses, dtype=float), np.array(accs, dtype=float))


def _loss_grads_many(Ws, bs, X, y, act: str):
    """:func:`_loss_grads` for C networks at once: weights (C, in, out), biases (C, 1, out);
    samples X (n, d) and labels y (n,) shared by every network, or (C, n, d) and (C, n), a
    batch of its own for each. Returns the C losses and the stacked gradients.

    Every network gets exactly the arithmetic of :func:`_loss_grads` (numpy runs the same BLAS
    call on each slice of a stacked product), so a stack of one reproduces a single network
    bit for bit."""
    n = X.shape[-2]
    pre, acts = _forward(Ws, bs, X, act)
    log_probs = acts[-1] - acts[-1].max(axis=-1, keepdims=True)
    log_probs = log_probs - np.log(np.exp(log_probs).sum(axis=-1, keepdims=True))
    copies, rows = np.arange(log_probs.shape[0])[:, None], np.arange(n)
    values = -log_probs[copies, rows, y].mean(axis=1)
    grad = np.exp(log_probs)
    grad[copies, rows, y] -= 1.0
    grad /= n
    L = len(Ws)
    dW, db = [None] * L, [None] * L
    for i in range(L - 1, -1, -1):
        dW[i] = np.swapaxes(acts[i], -1, -2) @ grad
        db[i] = grad.sum(axis=-2, keepdims=True)
        if i:
            grad = (grad @ np.swapaxes(Ws[i], -1, -2)) * activation_grad(pre[i - 1], acts[i], act)
    return values, dW, db


#: Largest working set of one stack, in values: copies x batch x width x depth. Measured
#: (seven networks, one BLAS thread): a stack is 2-3x faster than the same networks one at a
#: time while this product is small (per-call overhead dominates), 1.2-1.5x at 100k-230k, and
#: 0.9x past 450k, where the stacked arrays no longer stay in cache.
STACK_VALUES = 2**18


def stack_groups(copies: int, hidden: int, layers: int, batch_size: int) -> list[range]:
    """The networks 0..copies-1 split into consecutive stacks of at most STACK_VALUES.

    >>> stack_groups(16, 32, 1, 32), stack_groups(7, 128, 2, 256)
    ([range(0, 16)], [range(0, 4), range(4, 7)])
    """
    per = max(1, STACK_VALUES // max(1, int(batch_size) * int(hidden) * int(layers)))
    return [range(i, min(i + per, copies)) for i in range(0, copies, per)]


class _Stack:
    """C independent networks trained together as one array computation: weights stacked
    along a first axis (C, in, out), one optimizer state of the same shape, and either one
    mini-batch order shared by every network or one of its own each.

    One numpy call moves every network, so the per-call overhead that dominates small
    networks is paid once per step instead of once per network. ``step`` and ``evaluate``
    are the training loops' building blocks (:func:`train_many`, the range tests of
    :mod:`optimizers.lr_finder`).
    """

    def __init__(
        self,
        starts,
        data: Dataset,
        batch_seeds,
        batch_size: int = 32,
        momentum: float = 0.9,
        activation: str = "relu",
        optimizer: str = "sgd-momentum",
    ) -> None:
        _check_activation(activation)
        L = _n_layers(starts[0])
        self.Ws = [np.stack([p[f"W{i}"] for p in starts]) for i in range(L)]
        self.bs = [np.stack([p[f"b{i}"] for p in starts])[:, None, :] for i in range(L)]
        self.arrays = self.Ws + self.bs
        self.stepper = _Stepper(optimizer, self.arrays, momentum)
        self.activation = activation
        self.X = data.X.astype(self.Ws[0].dtype, copy=False)
        self.y = data.y
        n, size = len(data.y), min(int(batch_size), len(data.y))
        shared = np.ndim(batch_seeds) == 0
        seeds = [batch_seeds] if shared else list(batch_seeds)
        if not shared and len(seeds) != len(starts):
            raise ValueError(f"need one batch seed per network, got {len(seeds)} for {len(starts)}")
        self.shared = shared
        self.batches = [_batches(n, size, np.random.default_rng(s)) for s in seeds]

    @property
    def copies(self) -> int:
        return self.Ws[0].shape[0]

    def step(self, lr) -> np.ndarray:
        """One mini-batch step of every network at ``lr`` (a number, or one rate per network);
        returns each network's mini-batch loss before the step."""
        idx = next(self.batches[0]) if self.shared else np.stack([next(b) for b in self.batches])
        values, dW, db = _loss_grads_many(self.Ws, self.bs, self.X[idx], self.y[idx], self.activation)
        rate = lr if np.ndim(lr) == 0 else np.asarray(lr, dtype=float)[:, None, None]
        self.stepper.step(self.arrays, dW + db, rate)
        return values

    def evaluate(self) -> tuple[np.ndarray, np.ndarray]:
        """Full-data loss (inf where not finite) and accuracy of every network."""
        _, acts = _forward(self.Ws, self.bs, self.X, self.activation)
        logits = acts[-1]
        shift = logits - logits.max(axis=-1, keepdims=True)
        log_probs = shift - np.log(np.exp(shift).sum(axis=-1, keepdims=True))
        copies = np.arange(logits.shape[0])[:, None]
        losses = -log_probs[copies, np.arange(len(self.y)), self.y].mean(axis=1)
        accuracy = (logits.argmax(axis=-1) == self.y).mean(axis=1)
        return np.where(np.isfinite(losses), losses, np.inf), accuracy.astype(float)


@dataclass(frozen=True)
class ManyResult:
    """Networks trained together (:func:`train_many`): the full-data loss after training
    (inf where training diverged) and the accuracy, one value per rate."""

    final_losses: np.ndarray
    accuracies: np.ndarray


def train_many(
    params,
    data: Dataset,
    lrs,
    steps: int,
    batch_size: int = 32,
    momentum: float = 0.9,
    activation: str = "relu",
    seed: int = 0,
    optimizer: str = "sgd-momentum",
) -> ManyResult:
    """:func:`train` at every rate in ``lrs`` at once: the same start, the same mini-batches,
    one network per rate stacked along a first axis (:class:`_Stack`; large networks in several
    stacks, :func:`stack_groups`). Calls :func:`optimizers.progress.checkpoint` with the
    fraction done between steps.

    One pass of numpy calls moves all the networks, so a sweep of 15 rates costs little more
    than one training run (the networks are small and numpy's per-call overhead dominates),
    and each network's numbers are those :func:`train` gives it.

    >>> d = make_dataset("moons", 256, seed=2)
    >>> many = train_many(init_params([2, 16, 2], "relu", seed=2), d, [0.1, 1e4], 50, seed=2)
    >>> one = train(init_params([2, 16, 2], "relu", seed=2), d, 0.1, 50, seed=2)
    >>> bool(many.final_losses[0] == one.final_loss), float(many.final_losses[1])  # 1e4 diverges
    (True, inf)
    """
    lrs = np.asarray(lrs, dtype=float)
    if lrs.ndim != 1 or not (np.isfinite(lrs).all() and (lrs >= 0).all()):
        raise ValueError(f"lrs must be finite numbers >= 0, got {lrs!r}")
    sizes = [w.shape[1] for w in _unpack(params)[0][:-1]] or [1]
    groups = stack_groups(len(lrs), max(sizes), len(sizes), min(int(batch_size), len(data.y)))
    steps = int(steps)
    final, acc = np.empty(len(lrs)), np.empty(len(lrs))
    with np.errstate(all="ignore"):
        for g, group in enumerate(groups):
            rates = lrs[group.start : group.stop]
            stack = _Stack([params] * len(rates), data, seed, batch_size, momentum, activation, optimizer)
            for t in range(steps):
                progress.checkpoint((g + t / max(steps, 1)) / len(groups))
                stack.step(rates)
            final[group.start : group.stop], acc[group.start : group.stop] = stack.evaluate()
    return ManyResult(final, acc)


def _evaluate(Ws, bs, X, y, act: str) -> tuple[float, float]:
    _, acts = _forward(Ws, bs, X, act)
    logits = acts[-1]
    value = float(-_log_softmax(logits)[np.arange(X.shape[0]), y].mean())
    if not math.isfinite(value):
        return math.inf, float((logits.argmax(axis=1) == y).mean())
    return value, float((logits.argmax(axis=1) == y).mean())


def _check_entries(params, per_layer: int, seed: int) -> list[tuple[str, tuple[int, ...]]]:
    """Which entries a gradient check perturbs: ``per_layer`` weights and one bias of every
    layer, drawn with ``seed`` (so float32 and float64 checks perturb the same entries)."""
    rng = np.random.default_rng(seed)
    entries = []
    for i in range(_n_layers(params)):
        W, b = params[f"W{i}"], params[f"b{i}"]
        entries += [(f"W{i}", (int(rng.integers(W.shape[0])), int(rng.integers(W.shape[1])))) for _ in range(per_layer)]
        entries.append((f"b{i}", (int(rng.integers(b.shape[0])),)))
    return entries


def gradient_check_errors(params, X, y, activation: str, hs, per_layer: int = 2, seed: int = 0) -> np.ndarray:
    """Relative error of the central difference against backprop, for each step h in ``hs``.

    Everything runs in the parameters' dtype, as a gradient check in that precision would:
    the loss, the backprop gradient a, and the difference quotient
    n = (L(θ + h) − L(θ − h)) / 2h for a few entries of every layer (:func:`_check_entries`).
    The error is ‖n − a‖ / max(‖n‖, ‖a‖) over those entries (the usual whole-vector check):
    1 when the perturbation is lost to rounding (n = 0). The perturbed networks of one h are
    evaluated together (stacked, as :func:`train_many` does). Calls ``progress.checkpoint``
    between steps.
    """
    _check_activation(activation)
    Ws, bs = _unpack(params)
    dt = Ws[0].dtype
    X = np.asarray(X, dtype=dt)
    y = np.asarray(y)
    _, dW, db = _loss_grads(Ws, bs, X, y, activation)
    grads = {**{f"W{i}": g for i, g in enumerate(dW)}, **{f"b{i}": g for i, g in enumerate(db)}}
    entries = _check_entries(params, per_layer, seed)
    analytic = np.array([float(grads[name][idx]) for name, idx in entries])
    copies = 2 * len(entries)
    out = []
    with np.errstate(all="ignore"):
        for h in hs:
            progress.checkpoint()
            stack = {k: np.repeat(v[None], copies, axis=0) for k, v in params.items()}
            for j, (name, idx) in enumerate(entries):
                keep = params[name][idx]
                stack[name][(2 * j, *idx)] = keep + dt.type(h)
                stack[name][(2 * j + 1, *idx)] = keep - dt.type(h)
            L = len(Ws)
            sW = [stack[f"W{i}"] for i in range(L)]
            sb = [stack[f"b{i}"][:, None, :] for i in range(L)]
            values = _losses_many(sW, sb, X, y, activation)
            numeric = (values[0::2] - values[1::2]) / (2 * float(h))
            scale = max(np.linalg.norm(numeric), np.linalg.norm(analytic))
            err = np.linalg.norm(numeric - analytic) / scale if scale > 0 else 0.0
            out.append(float(err) if np.isfinite(err) else 1.0)
    return np.array(out)


def _losses_many(Ws, bs, X, y, act: str) -> np.ndarray:
    """Mean cross-entropy of each of R stacked networks (forward only), as float64 numbers
    computed in the networks' dtype."""
    _, acts = _forward(Ws, bs, X, act)
    logits = acts[-1]
    shift = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shift - np.log(np.exp(shift).sum(axis=-1, keepdims=True))
    return -log_probs[:, np.arange(X.shape[0]), y].mean(axis=1).astype(float)


def gradient_check(params, X, y, activation: str = "tanh", h: float = 6e-6, seed: int = 0) -> float:
    """Relative error between backprop and centered differences (see :func:`gradient_check_errors`).

    The seed's interview answer made executable: below 1e-6 in float64 means backprop is right.
    h = 6e-6 is about cbrt(eps), where the central difference's truncation (h^2) and rounding
    (eps/h) errors balance.

    >>> d = make_dataset("moons", 64, seed=3)
    >>> p = init_params([2, 8, 2], "tanh", seed=3)
    >>> bool(gradient_check(p, d.X, d.y, "tanh") < 1e-6)
    True
    """
    return float(gradient_check_errors(params, X, y, activation, [h], seed=seed)[0])
