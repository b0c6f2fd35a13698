"""Neural network: the tutorial's simple network, trained; vanishing gradients; the gradient check."""

import numpy as np
import streamlit as st

from explain import network as ex
from optimizers import lr_finder as lf
from optimizers import network, nn
from ui import charts, inputs, layout, nn_charts, work
from ui.export import csv_download

st.title(ex.TITLE)
st.write(ex.STORY)
D = lf.DEFAULTS
RATES = [f"{v:.1e}" for v in 10 ** np.arange(-4, 0.51, 0.25)]  # URL values 1.0e-04 .. 3.2e+00

left, right = layout.columns()
with left:
    name = inputs.select("Data set", "dataset", list(nn.DATASETS), D["dataset"])
    activation = inputs.select("Activation", "activation", list(nn.ACTIVATIONS), D["activation"])
    hidden = inputs.int_slider("Width (units per layer)", "hidden", 4, 64, D["hidden"], 4)
    layers = inputs.int_slider("Depth (hidden layers)", "layers", 1, nn.MAX_DEPTH, D["layers"])
    optimizer = inputs.select("Optimizer", "optimizer", list(nn.OPTIMIZERS), D["optimizer"])
    choice = inputs.select(
        "Learning rate", "lr", ["suggested", *RATES], "suggested", horizontal=False, help=ex.RATE_HELP
    )
    steps = inputs.int_slider("Steps", "steps", 50, 600, network.STEPS, 50)
    seed = inputs.integer("Random start", "seed", 0, 10_000, 0)

data = nn.make_dataset(name, 512, seed=seed)
suggest = choice == "suggested"
cost = network.analyse_cost(steps, hidden, layers, suggest=suggest, activation=activation)
res = work.compute(
    network.analyse,
    data,
    cost=cost,
    where=right,
    name="network",
    spinner=ex.SPINNER,
    lr=None if suggest else float(choice),
    steps=steps,
    hidden=hidden,
    layers=layers,
    activation=activation,
    optimizer=optimizer,
    seed=seed,
)

with right:
    layout.metrics([layout.Metric(*m) for m in ex.metrics(res)])
    st.caption(ex.rate_caption(res))
    # A plain link (a fresh page load): st.page_link's query_params do not reach the finder's
    # URL-bound widgets in Streamlit 1.67.
    url = ex.finder_url(name, activation, hidden, layers, optimizer, seed)
    st.link_button(ex.FINDER_LINK, url, icon=":material/model_training:")
    if message := ex.diverged(res):
        st.error(message)
    for kw in ex.history_charts():
        charts.show(charts.lines_chart(res.run.history.assign(curve=kw["y"]), **kw))
    if len(res.run.regions):
        charts.show(nn_charts.regions_chart(res.run.regions, network.points_table(data), classes=data.classes))

st.subheader(ex.VANISHING_TITLE)
st.write(ex.vanishing_intro(res))
st.markdown(ex.vanishing_sentence(res.ratios, res.layers))
charts.show(nn_charts.norms_chart(res.norms))
csv_download(res.norms, "network_gradients.csv", ex.DOWNLOAD)

st.subheader(ex.CHECK_TITLE)
st.write(ex.CHECK_INTRO)
st.markdown(ex.check_sentences(res.check))
charts.show(nn_charts.check_chart(res.check, network.PASS_BELOW))
st.caption(ex.CHECK_CAPTION)
inputs.share_line()
