"""A small multilayer perceptron in numpy: the seed's "simple neural network".

Softmax cross-entropy computed with log-sum-exp, backpropagation written out by hand
(checked against centered differences by :func:`gradient_check`), mini-batch SGD with
optional momentum, He or Xavier initialisation. All randomness comes from a ``seed``;
parameters are plain dicts of arrays and are never modified in place.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimizers.difflab import sigmoid_stable
from optimizers.tables import read_csv_bytes

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "Dataset",
    "dataset_from_csv",
    "gradient_check",
    "init_params",
    "layer_sizes",
    "loss",
    "loss_and_grads",
    "make_dataset",
    "sgd_step",
    "train",
]

ACTIVATIONS = ("relu", "tanh", "sigmoid")
DATASETS = ("moons", "spirals", "blobs")
MAX_FEATURES = 20
MAX_CLASSES = 10


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
        r = rng.uniform(0.1, 1.0, n)
        angle = 3.5 * r * math.pi + y * math.pi
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


def init_params(sizes: list[int], activation: str = "relu", seed: int = 0) -> dict[str, np.ndarray]:
    """He (relu) or Xavier (tanh, sigmoid) initialisation for layer sizes [in, h1, ..., out]."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
    rng = np.random.default_rng(seed)
    params = {}
    for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        std = math.sqrt(2.0 / fan_in) if activation == "relu" else math.sqrt(2.0 / (fan_in + fan_out))
        params[f"W{i}"] = rng.normal(0.0, std, (fan_in, fan_out))
        params[f"b{i}"] = np.zeros(fan_out)
    return params


def _act(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "tanh":
        return np.tanh(z)
    return sigmoid_stable(z)


def _act_grad(z: np.ndarray, a: np.ndarray, activation: str) -> np.ndarray:
    if activation == "relu":
        return (z > 0).astype(z.dtype)  # the subgradient 0 at z = 0, as PyTorch does
    if activation == "tanh":
        return 1.0 - a * a
    return a * (1.0 - a)


def _layers(params: dict[str, np.ndarray]) -> int:
    return len(params) // 2


def loss_and_grads(params, X, y, activation: str = "relu"):
    """Mean softmax cross-entropy and its gradient for every parameter (backpropagation)."""
    n = X.shape[0]
    L = _layers(params)
    acts, pre = [X], []
    a = X
    for i in range(L):
        z = a @ params[f"W{i}"] + params[f"b{i}"]
        pre.append(z)
        a = z if i == L - 1 else _act(z, activation)
        acts.append(a)
    logits = acts[-1]
    shift = logits - logits.max(axis=1, keepdims=True)  # log-sum-exp: nothing overflows
    log_probs = shift - np.log(np.exp(shift).sum(axis=1, keepdims=True))
    value = -log_probs[np.arange(n), y].mean()
    grad = np.exp(log_probs)
    grad[np.arange(n), y] -= 1.0
    grad /= n
    grads = {}
    for i in range(L - 1, -1, -1):
        grads[f"W{i}"] = acts[i].T @ grad
        grads[f"b{i}"] = grad.sum(axis=0)
        if i:
            grad = (grad @ params[f"W{i}"].T) * _act_grad(pre[i - 1], acts[i], activation)
    return float(value), grads


def loss(params, X, y, activation: str = "relu") -> float:
    return loss_and_grads(params, X, y, activation)[0]


def sgd_step(params, grads, velocity, lr: float, momentum: float = 0.0):
    """One SGD step with momentum; returns new (params, velocity), inputs untouched."""
    new_v = {k: momentum * velocity[k] - lr * grads[k] for k in params}
    return {k: params[k] + new_v[k] for k in params}, new_v


def _batches(n: int, batch_size: int, rng: np.random.Generator):
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            yield order[start : start + batch_size]


def train(
    params,
    data: Dataset,
    lr: float,
    steps: int,
    batch_size: int = 32,
    momentum: float = 0.0,
    activation: str = "relu",
    seed: int = 0,
):
    """Mini-batch SGD for ``steps`` steps; returns (new params, full-data loss after training)."""
    rng = np.random.default_rng(seed)
    batch_size = min(batch_size, len(data.y))
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    batches = _batches(len(data.y), batch_size, rng)
    with np.errstate(all="ignore"):
        for _ in range(steps):
            idx = next(batches)
            _, grads = loss_and_grads(params, data.X[idx], data.y[idx], activation)
            params, velocity = sgd_step(params, grads, velocity, lr, momentum)
            if not all(np.isfinite(v).all() for v in params.values()):
                return params, math.inf
        final = loss(params, data.X, data.y, activation)
    return params, final if math.isfinite(final) else math.inf


def gradient_check(params, X, y, activation: str = "tanh", checks: int = 12, h: float = 6e-6, seed: int = 0) -> float:
    """Largest relative error between backprop and centered differences on a few parameters.

    The seed's interview answer made executable: below 1e-6 in float64 means backprop is right.
    h = 6e-6 is about cbrt(eps), where the central difference's truncation (h^2) and rounding
    (eps/h) errors balance; gradients smaller than 1e-8 are compared absolutely, since a
    relative error of a number that is almost zero measures only rounding.

    >>> d = make_dataset("moons", 64, seed=3)
    >>> p = init_params([2, 8, 2], "tanh", seed=3)
    >>> bool(gradient_check(p, d.X, d.y, "tanh") < 1e-6)
    True
    """
    rng = np.random.default_rng(seed)
    _, grads = loss_and_grads(params, X, y, activation)
    worst = 0.0
    names = sorted(params)
    for _ in range(checks):
        name = names[rng.integers(len(names))]
        idx = tuple(int(rng.integers(s)) for s in params[name].shape)
        plus = {k: v.copy() for k, v in params.items()}
        minus = {k: v.copy() for k, v in params.items()}
        plus[name][idx] += h
        minus[name][idx] -= h
        numeric = (loss(plus, X, y, activation) - loss(minus, X, y, activation)) / (2 * h)
        analytic = grads[name][idx]
        denom = max(abs(numeric), abs(analytic), 1e-8)
        worst = max(worst, abs(numeric - analytic) / denom)
    return worst
