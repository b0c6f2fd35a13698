"""Cross-check the numpy network against real PyTorch (not a test: torch is not a dependency).

Run with a Python that has torch (a separate venv; nothing here enters requirements.txt):

    /work/torch-venv/bin/pip install torch==2.13.0
    PYTHONPATH=.:/path/to/app/venv/site-packages /work/torch-venv/bin/python bench/torch_check.py

It compares, in float64 on identical weights and mini-batches:
1. every activation and its derivative (torch autograd; ReLU at exactly 0),
2. loss and backprop gradients of a 3-hidden-layer network for every activation,
3. a whole range test (rate changing every step) with torch.optim.SGD(momentum=0.9) and
   torch.optim.Adam against ``optimizers.lr_finder.lr_range_test``: losses, weights, suggestions,
4. what the old momentum accumulation (v = μv − lr·g) did to the suggestions on the same batches.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizers import lr_finder as lf
from optimizers import nn

torch.set_default_dtype(torch.float64)
TORCH_ACT = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "gelu": F.gelu,
    "silu": F.silu,
    "softplus": F.softplus,
}


def rel(a, b, tiny: float = 1e-15) -> float:
    """Largest relative difference; values below ``tiny`` in size are compared absolutely
    (tanh'(30) is 0 in one library and 4e-26 in the other)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), tiny)))


def activations() -> None:
    z = np.concatenate([np.linspace(-30, 30, 601), [0.0, -0.0, 1e-300, -1e-300]])
    print("1. activations vs torch (max relative difference: value, derivative)")
    for name, fn in TORCH_ACT.items():
        t = torch.tensor(z, requires_grad=True)
        out = fn(t)
        out.sum().backward()
        ours = nn.activation(z, name)
        d_ours = nn.activation_grad(z, ours, name)
        print(f"   {name:8s} {rel(ours, out.detach().numpy()):.1e}  {rel(d_ours, t.grad.numpy()):.1e}")
    t = torch.tensor([0.0], requires_grad=True)
    torch.relu(t).backward()
    print(f"   relu'(0): torch {t.grad.item()}, ours {nn.activation_grad(np.array([0.0]), np.array([0.0]), 'relu')[0]}")


def torch_net(params):
    return [torch.tensor(params[f"{k}{i}"], requires_grad=True) for i in range(len(params) // 2) for k in ("W", "b")]


def torch_loss(tp, X, y, act):
    a = torch.tensor(X)
    L = len(tp) // 2
    for i in range(L):
        a = a @ tp[2 * i] + tp[2 * i + 1]
        if i < L - 1:
            a = TORCH_ACT[act](a)
    return F.cross_entropy(a, torch.tensor(y))


def backprop() -> None:
    print("2. loss and gradients of a [2, 16, 16, 16, 2] network vs torch autograd")
    d = nn.make_dataset("spirals", 256, seed=0)
    for act in nn.ACTIVATIONS:
        p = nn.init_params([2, 16, 16, 16, 2], act, seed=1)
        value, grads = nn.loss_and_grads(p, d.X, d.y, act)
        tp = torch_net(p)
        loss = torch_loss(tp, d.X, d.y, act)
        loss.backward()
        g_ours = np.concatenate([grads[f"{k}{i}"].ravel() for i in range(4) for k in ("W", "b")])
        g_torch = np.concatenate([t.grad.numpy().ravel() for t in tp])
        err = np.linalg.norm(g_ours - g_torch) / np.linalg.norm(g_torch)
        print(f"   {act:8s} loss {rel(value, loss.item()):.1e}   gradient (relative norm) {err:.1e}")


def torch_range_test(data, optimizer, lrs, net, seed):
    p = nn.init_params(nn.layer_sizes(data, net["hidden"], net["layers"]), net["activation"], seed)
    tp = torch_net(p)
    opt = (
        torch.optim.SGD(tp, lr=lrs[0], momentum=0.9) if optimizer == "sgd-momentum" else torch.optim.Adam(tp, lr=lrs[0])
    )
    batches = nn._batches(len(data.y), net["batch_size"], np.random.default_rng(seed + 1))
    raw, avg, best = [], 0.0, math.inf
    for i, lr in enumerate(lrs):
        idx = next(batches)
        for g in opt.param_groups:
            g["lr"] = float(lr)
        opt.zero_grad()
        loss = torch_loss(tp, data.X[idx], data.y[idx], net["activation"])
        if not math.isfinite(loss.item()):
            break
        avg = 0.98 * avg + 0.02 * loss.item()
        s = avg / (1 - 0.98 ** (i + 1))
        raw.append(loss.item())
        best = min(best, s)
        if s > 4 * best:
            break
        loss.backward()
        opt.step()
    return np.array(raw)


def old_momentum_suggestions(data, net, lrs, seed):
    """The finder before this change: v = μv − lr·g, p += v, on the same batches."""
    p = nn.init_params(nn.layer_sizes(data, net["hidden"], net["layers"]), net["activation"], seed)
    v = {k: np.zeros_like(a) for k, a in p.items()}
    batches = nn._batches(len(data.y), net["batch_size"], np.random.default_rng(seed + 1))
    smooth, raw, avg, best, stopped = [], [], 0.0, math.inf, False
    with np.errstate(all="ignore"):
        for i, lr in enumerate(lrs):
            idx = next(batches)
            value, g = nn.loss_and_grads(p, data.X[idx], data.y[idx], net["activation"])
            if not math.isfinite(value):
                stopped = True
                break
            avg = 0.98 * avg + 0.02 * value
            s = avg / (1 - 0.98 ** (i + 1))
            raw.append(value)
            smooth.append(s)
            best = min(best, s)
            if s > 4 * best:
                stopped = True
                break
            v = {k: 0.9 * v[k] - lr * g[k] for k in p}
            p = {k: p[k] + v[k] for k in p}
    return lf.suggest(lrs[: len(smooth)], smooth, stopped, raw, len(lrs))[0]


def range_tests() -> None:
    print("3. range tests vs torch.optim (rate changes every step): raw losses, suggestions")
    print("4. and what the old momentum (v = μv − lr·g) did to the suggestions, same batches")
    net = {k: lf.DEFAULTS[k] for k in ("hidden", "layers", "activation", "batch_size")}
    lrs = lf.schedule(lf.START_LR, lf.END_LR, lf.NUM_IT)
    moved = []
    for name in nn.DATASETS:
        data = nn.make_dataset(name, 512, seed=0)
        for optimizer in nn.OPTIMIZERS:
            for seed in range(3):
                ours = lf.lr_range_test(
                    data, seed=seed, optimizer=optimizer, momentum=0.9, num_it=lf.NUM_IT, start_lr=lf.START_LR, **net
                )
                theirs = torch_range_test(data, optimizer, lrs, net, seed)
                n = min(len(ours.raw_losses), len(theirs))
                same_len = len(ours.raw_losses) == len(theirs)
                # Only the steps before the loss explodes: after that, rounding differences grow.
                stable = ours.lrs[:n] <= (ours.suggestions["minimum/10"] or lf.END_LR) * 10
                diff = rel(ours.raw_losses[:n][stable], theirs[:n][stable])
                sugg = lf.suggest(ours.lrs[:n], ours.losses[:n], ours.stopped_early, theirs[:n], lf.NUM_IT)[0]
                line = f"   {name:8s} {optimizer:12s} seed {seed}: loss diff up to the minimum {diff:.1e}"
                line += (
                    f", same length {same_len}, same minimum/10 {sugg['minimum/10'] == ours.suggestions['minimum/10']}"
                )
                if optimizer == "sgd-momentum":
                    old = old_momentum_suggestions(data, {**net}, lrs, seed)
                    for rule in ("valley", "minimum/10"):
                        a, b = old[rule], ours.suggestions[rule]
                        if a and b:
                            moved.append(abs(math.log10(a / b)))
                        elif bool(a) != bool(b):
                            moved.append(float("inf"))
                    line += f"; old momentum: valley {old['valley'] or 0:.2e} vs {ours.suggestions['valley'] or 0:.2e}"
                print(line)
    finite = [m for m in moved if math.isfinite(m)]
    print(
        f"   old vs PyTorch momentum: suggestions moved by up to {max(finite):.2f} decades "
        f"(median {np.median(finite):.2f}); appeared or vanished in {len(moved) - len(finite)} of {len(moved)}"
    )


if __name__ == "__main__":
    print(f"torch {torch.__version__}, numpy {np.__version__}")
    activations()
    backprop()
    range_tests()
