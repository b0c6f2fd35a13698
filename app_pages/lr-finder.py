"""Learning-rate finder: the derivative of the loss picks the step size, on a numpy network."""

import numpy as np
import streamlit as st

from optimizers import lr_finder as lf
from optimizers import nn
from ui import charts, inputs, nn_charts, safe, work
from ui.export import csv_download

st.title("Which learning rate should you train with?")
st.write(
    "Training moves every weight against the derivative of the loss, scaled by the learning rate. "
    "Too small and nothing happens; too large and it overshoots and diverges. The range test "
    "trains once while the rate grows exponentially and reads the answer off the loss curve: a "
    "tenth of the rate at its lowest point, where it falls fastest (**d(loss)/d(log lr)**), or "
    "fastai's valley. A small network written in numpy does the work, with SGD and Adam exactly "
    "as PyTorch defines them."
)

LRS_LOW = [float(f"{v:.0e}") for v in np.logspace(-9, -2, 8)]
LRS_HIGH = [float(f"{v:.0e}") for v in np.logspace(-3, 2, 6)]
FMT = "{:.0e}".format  # slider labels, and so the URL values: 1e-05
SHOW = "{:.2e}".format  # metrics: 3.13e-02
D = lf.DEFAULTS


@st.cache_data(max_entries=32, show_spinner="Running the range test…")
def run(data: nn.Dataset, runs: int, **kw) -> lf.StableSuggestion:
    net = (kw["hidden"], kw["layers"], kw["batch_size"])
    cost = lf.range_test_cost(runs, kw["num_it"], *net, *_shape(data), kw["activation"])
    return work.in_pool(lf.stable_suggestion, data, runs=runs, cost=cost, **kw)


@st.cache_data(max_entries=32, show_spinner="Training at each fixed rate…")
def sweep(data: nn.Dataset, **kw):
    net = (kw["hidden"], kw["layers"], kw["batch_size"])
    cost = lf.sweep_cost(*net, *_shape(data), kw["activation"], len(data.y))
    return work.in_pool(lf.lr_sweep, data, cost=cost, **kw)


@st.cache_data(max_entries=16, show_spinner=False)
def dataset(name: str, seed: int, upload: bytes | None) -> nn.Dataset:
    return nn.dataset_from_csv(upload) if upload is not None else nn.make_dataset(name, 512, seed=seed)


def _shape(data: nn.Dataset) -> tuple[int, int]:
    return data.X.shape[1], data.classes


left, right = st.columns([1, 2.3], gap="large")
with left, st.container(border=True):
    name = inputs.select("Data set", "dataset", [*nn.DATASETS, "csv"], D["dataset"])
    upload = None
    if name == "csv":
        file = st.file_uploader("Numeric feature columns and a `label` column", type=["csv"], key="nn_upload")
        upload = file.getvalue() if file is not None else None
    activation = inputs.select("Activation", "activation", list(nn.ACTIVATIONS), D["activation"])
    optimizer = inputs.select("Optimizer", "optimizer", list(nn.OPTIMIZERS), D["optimizer"])
    hidden = inputs.int_slider("Hidden width", "hidden", 4, 128, D["hidden"], 4)
    layers = inputs.int_slider("Hidden layers", "layers", 1, nn.MAX_DEPTH, D["layers"])
    batch = inputs.log_slider("Batch size", "batch_size", [8, 16, 32, 64, 128, 256], 32, fmt=lambda v: f"{v:.0f}")
    momentum = inputs.slider(
        "Momentum", "momentum", 0.0, 0.99, D["momentum"], 0.01, help="sgd-momentum only; Adam's β1 is 0.9."
    )
    start = inputs.log_slider("Start rate", "start_lr", LRS_LOW, lf.START_LR, fmt=FMT)
    end = inputs.log_slider("End rate", "end_lr", LRS_HIGH, lf.END_LR, fmt=FMT)
    num_it = inputs.int_slider("Iterations", "num_it", 20, 500, lf.NUM_IT, 10)
    runs = inputs.int_slider("Runs (seeds)", "runs", 1, 7, lf.RUNS)
    seed = inputs.integer("Seed", "seed", 0, 10_000, 0)

if name == "csv" and upload is None:
    right.info("Upload a CSV to use your own data.")
    st.stop()
try:
    data = dataset(name, seed, upload)
except ValueError as exc:
    safe.error(f"Cannot use this file: {exc}", where=right)
    st.stop()
net = {
    "hidden": hidden,
    "layers": layers,
    "activation": activation,
    "batch_size": int(batch),
    "momentum": momentum,
    "optimizer": optimizer,
}
range_cost = lf.range_test_cost(runs, num_it, hidden, layers, int(batch), *_shape(data))
sweep_cost = lf.sweep_cost(hidden, layers, int(batch), *_shape(data))
# One update runs both: the budget is checked on their sum before either starts.
res = work.attempt(
    run,
    data,
    runs,
    cost=range_cost + sweep_cost,
    where=right,
    seed=seed,
    start_lr=start,
    end_lr=end,
    num_it=num_it,
    **net,
)
first = res.runs[0]
chosen = res.median[lf.SUGGESTED]

with right:
    c1, c2 = st.columns(2)
    c3, c4 = st.columns(2)
    c1.metric(
        "Suggested learning rate",
        SHOW(chosen) if chosen else "none",
        help="A tenth of the rate at the lowest smoothed loss (minimum/10), median over the runs.",
    )
    c2.metric(
        "valley",
        SHOW(res.median["valley"]) if res.median["valley"] else "none",
        help="fastai's default: 2/3 of the way down the longest descent. Made for one-cycle training.",
    )
    c3.metric(
        "steepest",
        SHOW(res.median["steepest"]) if res.median["steepest"] else "none",
        help="The fastest fall of the loss against log lr, where the fall beats the noise of the raw losses.",
    )
    spread = res.spread_decades[lf.SUGGESTED]
    c4.metric("Spread across seeds", f"{spread:.2f} decades" if spread is not None else "—")
    for w in res.warnings:
        st.warning(w)
    table = first.table()
    view = first.table(clip=True)  # the explosion at the end would flatten everything else
    charts.show(
        nn_charts.range_test_chart(
            view,
            {"minimum/10": chosen, "valley": res.median["valley"], "steepest": res.median["steepest"]},
            title=f"Range test (seed {seed})",
            subtitle="Dashed lines: the suggestions above",
        )
    )
    slope = view.assign(curve="d(loss)/d(log lr)")
    steep = res.median["steepest"]
    charts.show(
        charts.lines_chart(
            slope,
            x="lr",
            y="slope",
            series="curve",
            x_title="Learning rate (log scale)",
            y_title="d(loss)/d(log lr)",
            x_format=".0e",
            y_format=".3f",
            log_x=True,
            rule_y=0.0,
            height=190,
            title="Marginal: how fast the loss falls",
            colors={"d(loss)/d(log lr)": "#7c3aed"},
            optimum=charts.Marker(steep, float(np.interp(steep, table.lr, table.slope)), "steepest") if steep else None,
        )
    )
    csv_download(table, "lr_finder.csv", "Download range test (CSV)")

st.subheader("Check it: train at fixed rates")
left_out = work.refusal(range_cost, sweep_cost)
if left_out:
    safe.info(f"The check-it sweep is left out of this update. {left_out}")
else:
    check = work.attempt(sweep, data, cost=sweep_cost, seed=seed, **net)
    best_i = int(check.final_loss.idxmin())
    best = float(check.lr[best_i])
    sentence = f"A fresh network trained for {lf.SWEEP_STEPS} steps at each rate. Lowest final loss at **{SHOW(best)}**"
    if chosen:
        sentence += f"; the suggestion {SHOW(chosen)} is {abs(np.log10(chosen / best)):.2f} decades away."
    else:
        sentence += "."
    st.write(sentence)
    shown = check.assign(curve="final loss", final_loss=check.final_loss.clip(upper=10))
    charts.show(
        charts.lines_chart(
            shown,
            x="lr",
            y="final_loss",
            series="curve",
            x_title="Learning rate (log scale)",
            y_title=f"Loss after {lf.SWEEP_STEPS} steps",
            x_format=".0e",
            y_format=".2f",
            log_x=True,
            height=220,
            colors={"final loss": "#111827"},
            optimum=charts.Marker(chosen, float(np.interp(chosen, check.lr, shown.final_loss)), "suggested")
            if chosen
            else None,
        )
    )
st.caption(
    f"Gradient check of the backpropagation on this network: relative error {res.gradient_error:.1e} "
    "(below 1e-6 passes). More on the Neural network page."
)

st.subheader("The 1-D lesson: step size on C(x) = x² − 10x + 100")
rate = inputs.slider("Learning rate", "gd_rate", 0.05, 1.2, 0.75, 0.05)
regime, why = lf.gd_regime(rate)
path = lf.gd_path(rate, x0=0.0, steps=12)
(st.success if rate < 1 else st.error)(f"**Rate {rate:.2f} {regime}.** {why}")
blocked = lf.gd_blocked(path, rate)
if blocked is not None:
    st.caption(
        f"Step {len(path)} would need negative ad spend (x = −{-blocked:.1f}): spend cannot go below 0, "
        "so the path stops there."
    )
charts.show(
    nn_charts.path_chart(
        lf.gd_curve(path), path, x_title="x (ad spend, $ thousands)", y_title="C(x)", height=260, optimum=5.0
    )
)
inputs.share_line("the uploaded CSV is not in the link" if upload is not None else "")
