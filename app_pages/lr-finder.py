"""Learning-rate finder: the derivative of the loss picks the step size, on a numpy network."""

import numpy as np
import streamlit as st

from optimizers import lr_finder as lf
from optimizers import nn
from ui import charts, inputs, safe
from ui.export import csv_download

st.title("Which learning rate should you train with?")
st.write(
    "Training moves every weight against the derivative of the loss, scaled by the learning rate. "
    "Too small and nothing happens; too large and it overshoots and diverges. The range test "
    "trains once while the rate grows exponentially and reads the answer off where the loss falls "
    "fastest — the most negative **d(loss)/d(log lr)**. A small network written in numpy does the work."
)

LRS_LOW = [float(f"{v:.0e}") for v in np.logspace(-9, -2, 8)]
LRS_HIGH = [float(f"{v:.0e}") for v in np.logspace(-3, 2, 6)]
FMT = "{:.0e}".format  # slider labels, and so the URL values: 1e-07
SHOW = "{:.2e}".format  # metrics: 3.13e-02


@st.cache_data(max_entries=32, show_spinner="Running the range test…")
def run(data: nn.Dataset, **kw) -> lf.StableSuggestion:
    return lf.stable_suggestion(data, **kw)


@st.cache_data(max_entries=32, show_spinner="Training at each fixed rate…")
def sweep(data: nn.Dataset, **kw):
    return lf.lr_sweep(data, 10 ** np.arange(-4, 1.01, 0.25), **kw)


@st.cache_data(max_entries=16, show_spinner=False)
def dataset(name: str, seed: int, upload: bytes | None) -> nn.Dataset:
    return nn.dataset_from_csv(upload) if upload is not None else nn.make_dataset(name, 512, seed=seed)


left, right = st.columns([1, 2.3], gap="large")
with left, st.container(border=True):
    name = inputs.select("Data set", "dataset", [*nn.DATASETS, "csv"], "spirals")
    upload = None
    if name == "csv":
        file = st.file_uploader("Numeric feature columns and a `label` column", type=["csv"], key="nn_upload")
        upload = file.getvalue() if file is not None else None
    activation = inputs.select("Activation", "activation", list(nn.ACTIVATIONS), "tanh")
    hidden = inputs.int_slider("Hidden width", "hidden", 4, 128, 32, 4)
    layers = inputs.int_slider("Hidden layers", "layers", 1, 2, 1)
    batch = inputs.log_slider("Batch size", "batch_size", [8, 16, 32, 64, 128, 256], 32, fmt=lambda v: f"{v:.0f}")
    momentum = inputs.slider("Momentum", "momentum", 0.0, 0.99, 0.9, 0.01)
    start = inputs.log_slider("Start rate", "start_lr", LRS_LOW, 1e-7, fmt=FMT)
    end = inputs.log_slider("End rate", "end_lr", LRS_HIGH, 10.0, fmt=FMT)
    num_it = inputs.int_slider("Iterations", "num_it", 20, 500, 100, 10)
    runs = inputs.int_slider("Runs (seeds)", "runs", 1, 7, 3)
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
    "hidden": int(hidden),
    "layers": int(layers),
    "activation": activation,
    "batch_size": int(batch),
    "momentum": momentum,
}
res = run(data, runs=runs, seed=seed, start_lr=start, end_lr=end, num_it=num_it, **net)
first = res.runs[0]
valley = res.median["valley"]

with right:
    c1, c2 = st.columns(2)
    c3, c4 = st.columns(2)
    c1.metric(
        "Suggested learning rate", SHOW(valley) if valley else "none", help="fastai's valley rule, median over the runs"
    )
    c2.metric("minimum/10", SHOW(res.median["minimum/10"]) if res.median["minimum/10"] else "none")
    c3.metric("steepest", SHOW(res.median["steepest"]) if res.median["steepest"] else "none")
    spread = res.spread_decades["valley"]
    c4.metric("Spread across seeds", f"{spread:.2f} decades" if spread is not None else "—")
    for w in res.warnings:
        st.warning(w)
    marks = tuple(
        charts.Marker(v, float(np.interp(v, first.lrs, first.losses)), k)
        for k, v in first.suggestions.items()
        if v is not None
    )
    found = [v for v in first.suggestions.values() if v is not None]
    table = first.table()
    view = first.table(clip=True)  # the explosion at the end would flatten everything else
    long = view.melt(id_vars="lr", value_vars=["raw_loss", "smoothed_loss"], var_name="curve", value_name="loss")
    charts.show(
        charts.lines_chart(
            long,
            x="lr",
            y="loss",
            series="curve",
            x_title="Learning rate (log scale)",
            y_title="Training loss (cross-entropy)",
            x_format=".0e",
            y_format=".2f",
            log_x=True,
            title=f"Range test (seed {seed})",
            markers=marks,
            band=(min(found), max(found)) if len(found) > 1 else None,
            colors={"raw_loss": "#cbd5e1", "smoothed_loss": "#2563eb"},
            height=280,
        )
    )
    slope = view.assign(curve="d(loss)/d(log lr)")
    steep = first.suggestions["steepest"]
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
check = sweep(data, seed=seed, **net)
best = check.lr[check.final_loss.idxmin()]
st.write(
    f"A fresh network trained for 150 steps at each rate. Lowest final loss at **{SHOW(best)}**"
    + (f"; the suggestion {SHOW(valley)} is {abs(np.log10(valley / best)):.2f} decades away." if valley else ".")
)
shown = check.assign(curve="final loss", final_loss=check.final_loss.clip(upper=10))
charts.show(
    charts.lines_chart(
        shown,
        x="lr",
        y="final_loss",
        series="curve",
        x_title="Learning rate (log scale)",
        y_title="Loss after 150 steps",
        x_format=".0e",
        y_format=".2f",
        log_x=True,
        height=220,
        colors={"final loss": "#111827"},
        optimum=charts.Marker(valley, float(np.interp(valley, check.lr, shown.final_loss)), "suggested")
        if valley
        else None,
    )
)
st.caption(
    f"Gradient check of the backpropagation on this network: largest relative error {res.gradient_error:.1e} "
    "(below 1e-6 passes)."
)

st.subheader("The 1-D lesson: step size on C(x) = x² − 10x + 100")
rate = inputs.slider("Learning rate", "gd_rate", 0.05, 1.2, 0.75, 0.05)
regime, why = lf.gd_regime(rate)
path = lf.gd_path(rate, x0=0.0, steps=12)
(st.success if rate < 1 else st.error)(f"**Rate {rate:.2f} {regime}.** {why}")
curve = lf.gd_curve(path).assign(curve="C(x)")
charts.show(
    charts.lines_chart(
        curve,
        x="x",
        y="cost",
        series="curve",
        x_title="x (ad spend, $ thousands)",
        y_title="C(x)",
        x_format=",.0f",
        y_format=",.0f",
        points=path.assign(curve="C(x)"),
        height=240,
        colors={"C(x)": "#2563eb"},
        optimum=charts.Marker(5.0, 75.0, "minimum x = 5"),
    )
)
inputs.share_line()
