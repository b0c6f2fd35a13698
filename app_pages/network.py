"""Neural network: the seed's simple network, trained; vanishing gradients; the gradient check."""

import math
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from optimizers import lr_finder as lf
from optimizers import network, nn
from ui import charts, inputs, nn_charts, safe, work
from ui.export import csv_download

st.title("A simple neural network, trained")
st.write(
    "The seed promises you will build a simple neural network. Here it is: a multilayer perceptron "
    "in numpy with hand-written backpropagation. Every weight moves against the derivative of the "
    "loss; below, watch it learn, see why deep sigmoid networks barely learn at all, and check the "
    "derivatives the way the seed's interview answer says to."
)

D = lf.DEFAULTS
RATES = [f"{v:.1e}" for v in 10 ** np.arange(-4, 0.51, 0.25)]  # 1.0e-04 .. 3.2e+00
SHOW = "{:.2e}".format


@st.cache_data(max_entries=32, show_spinner="Asking the learning-rate finder…")
def suggestion(data: nn.Dataset, seed: int, **net) -> float | None:
    cost = lf.range_test_cost(
        lf.RUNS, lf.NUM_IT, net["hidden"], net["layers"], D["batch_size"], activation=net["activation"]
    )
    res = work.in_pool(
        lf.stable_suggestion,
        data,
        runs=lf.RUNS,
        seed=seed,
        start_lr=lf.START_LR,
        end_lr=lf.END_LR,
        num_it=lf.NUM_IT,
        batch_size=D["batch_size"],
        momentum=D["momentum"],
        cost=cost,
        **net,
    )
    return res.median[lf.SUGGESTED]


@st.cache_data(max_entries=32, show_spinner="Training…")
def train(data: nn.Dataset, **kw) -> network.NetworkRun:
    cost = network.train_cost(kw["steps"], kw["hidden"], kw["layers"], activation=kw["activation"])
    return work.in_pool(network.train_network, data, cost=cost, **kw)


@st.cache_data(max_entries=32, show_spinner="Measuring gradients at initialisation…")
def norms(data: nn.Dataset, hidden: int, layers: int, seed: int):
    cost = network.gradient_norms_cost(hidden, layers)
    return work.in_pool(network.gradient_norms, data, hidden=hidden, layers=layers, seed=seed, cost=cost)


@st.cache_data(max_entries=32, show_spinner="Checking the gradients…")
def check(data: nn.Dataset, **kw):
    cost = network.gradient_check_cost(kw["hidden"], kw["layers"], activation=kw["activation"])
    return work.in_pool(network.gradient_check_curve, data, cost=cost, **kw)


left, right = st.columns([1, 2.3], gap="large")
with left, st.container(border=True):
    name = inputs.select("Data set", "dataset", list(nn.DATASETS), D["dataset"])
    activation = inputs.select("Activation", "activation", list(nn.ACTIVATIONS), D["activation"])
    hidden = inputs.int_slider("Width (units per layer)", "hidden", 4, 64, D["hidden"], 4)
    layers = inputs.int_slider("Depth (hidden layers)", "layers", 1, nn.MAX_DEPTH, D["layers"])
    optimizer = inputs.select("Optimizer", "optimizer", list(nn.OPTIMIZERS), D["optimizer"])
    rate_choice = inputs.select(
        "Learning rate",
        "lr",
        ["suggested", *RATES],
        "suggested",
        horizontal=False,
        help="'suggested' is the learning-rate finder's suggestion for these settings.",
    )
    steps = inputs.int_slider("Steps", "steps", 50, 600, network.STEPS, 50)
    seed = inputs.integer("Seed", "seed", 0, 10_000, 0)

data = nn.make_dataset(name, 512, seed=seed)
arch = {"hidden": hidden, "layers": layers, "activation": activation}
suggest = rate_choice == "suggested"
main_cost = network.main_cost(steps, hidden, layers, suggest=suggest, activation=activation)
finder_link = {"dataset": name, "activation": activation, "hidden": str(hidden), "layers": str(layers)}
finder_link |= {"optimizer": optimizer, "seed": str(seed)}


def train_section() -> None:
    """The finder's rate (unless the visitor chose one), training, its metrics and charts."""
    if left_out := work.refusal(main_cost):
        advice = " Or choose a learning rate: that skips the finder's range test." if suggest else ""
        safe.error(f"Too much work to train in one update. {left_out}{advice}", icon=":material/speed:")
        return
    lr, where_from = float(rate_choice) if not suggest else None, "your choice"
    if suggest:
        suggested = work.attempt(suggestion, data, seed, cost=main_cost, optimizer=optimizer, **arch)
        lr = suggested if suggested is not None else lf.FALLBACK_RATE
        where_from = (
            f"the finder's suggestion for these settings ({lf.SUGGESTED}, median of {lf.RUNS} range tests)"
            if suggested is not None
            else "a fallback: the finder has no suggestion for these settings (its loss never turns up)"
        )
    run = work.attempt(
        train,
        data,
        cost=main_cost,
        lr=lr,
        steps=steps,
        optimizer=optimizer,
        batch_size=D["batch_size"],
        seed=seed,
        **arch,
    )
    c1, c2, c3 = st.columns(3)
    c1.metric("Training accuracy", f"{run.accuracy:.1%}")
    c2.metric("Final loss", f"{run.final_loss:.3f}" if not run.diverged else "diverged")
    c3.metric("Learning rate", SHOW(lr), help=f"Chance level: loss ln {data.classes} = {math.log(data.classes):.3f}.")
    st.caption(f"Rate {SHOW(lr)}: {where_from}.")
    # A plain link (a fresh page load): st.page_link's query_params do not reach the finder's
    # URL-bound widgets in Streamlit 1.67.
    st.link_button(
        "Check it on the Learning-rate finder", f"lr-finder?{urlencode(finder_link)}", icon=":material/model_training:"
    )
    if run.diverged:
        st.error(f"Training diverged at rate {SHOW(lr)}: the loss became infinite. Choose a smaller rate.")
    for y, title, fmt, color, height in (
        ("loss", "Cross-entropy loss (whole data set)", ".2f", "#2563eb", 170),
        ("accuracy", "Accuracy", ".0%", "#16a34a", 150),
    ):
        charts.show(
            charts.lines_chart(
                run.history.assign(curve=y),
                x="step",
                y=y,
                series="curve",
                x_title="Step",
                y_title=title,
                x_format=",.0f",
                y_format=fmt,
                height=height,
                title=f"Training {y} per step",
                colors={y: color},
            )
        )
    if len(run.regions):
        charts.show(nn_charts.regions_chart(run.regions, network.points_table(data), classes=data.classes))


with right:
    train_section()


def vanishing_section(spent) -> None:
    norms_cost = network.gradient_norms_cost(hidden, layers)
    if left_out := work.refusal(*spent, norms_cost):
        safe.info(f"The gradient norms are left out of this update. {left_out}")
        return
    table = work.attempt(norms, data, hidden, layers, seed, cost=norms_cost)
    st.write(
        "The seed: *sigmoid′ = σ(1 − σ) is at most 0.25, so ten layers can shrink a gradient by 0.25¹⁰ ≈ 9.5e-7.* "
        f"Measured here, at depth {layers}, before any training: the gradient norm of every layer, for each "
        "activation (each with its own initialisation: He for the ReLU family, Xavier for tanh and sigmoid)."
    )
    st.markdown(network.vanishing_sentence({a: network.vanishing_ratio(table, a) for a in nn.ACTIVATIONS}, layers))
    charts.show(nn_charts.norms_chart(table))
    csv_download(table, "network_gradients.csv", "Download gradient norms (CSV)")


def check_section(spent) -> None:
    check_cost = network.gradient_check_cost(hidden, layers, activation=activation)
    if left_out := work.refusal(*spent, check_cost):
        safe.info(f"The gradient check is left out of this update. {left_out}")
        return
    curve = work.attempt(check, data, cost=check_cost, seed=seed, **arch)
    st.write(
        "Backprop's gradient against the centered difference (L(w + h) − L(w − h)) / 2h on a weight and a bias "
        "of every layer, for steps h from 1e-12 to 0.3, computed entirely in each precision. Too large an h: "
        "truncation error (∝ h²). Too small: rounding (∝ eps/h), and in float32 w + h is rounded to w."
    )
    st.markdown(network.check_sentences(curve))
    charts.show(nn_charts.check_chart(curve, network.PASS_BELOW))
    st.caption(
        "Filled dots pass, hollow dots fail. Dashed lines: pass thresholds (float64: 1e-6, the seed's; float32: "
        "1e-3, torch.autograd.gradcheck's rtol). ReLU at exactly 0 uses the subgradient 0, as PyTorch does."
    )


# Each section runs if it fits in the budget together with what ran before it.
spent = [main_cost] if work.refusal(main_cost) is None else []
st.subheader("Vanishing gradients at initialisation")
vanishing_section(spent)
if work.refusal(*spent, network.gradient_norms_cost(hidden, layers)) is None:
    spent.append(network.gradient_norms_cost(hidden, layers))
st.subheader("Gradient check in float64 and float32")
check_section(spent)
inputs.share_line()
