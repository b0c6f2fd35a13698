"""Learning-rate finder: the derivative of the loss picks the step size, on a numpy network."""

import numpy as np
import streamlit as st

from explain import lr_finder as ex
from optimizers import lr_finder as lf
from optimizers import nn
from ui import charts, inputs, layout, nn_charts, work
from ui.export import csv_download
from ui.lr_finder import dataset

st.title(ex.TITLE)
st.write(ex.STORY)
D = lf.DEFAULTS
LRS_LOW = [float(f"{v:.0e}") for v in np.logspace(-9, -2, 8)]
LRS_HIGH = [float(f"{v:.0e}") for v in np.logspace(-3, 2, 6)]


left, right = layout.columns()
with left:
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
    start = inputs.log_slider("Start rate", "start_lr", LRS_LOW, lf.START_LR)
    end = inputs.log_slider("End rate", "end_lr", LRS_HIGH, lf.END_LR)
    num_it = inputs.int_slider("Iterations", "num_it", 20, 500, lf.NUM_IT, 10)
    runs = inputs.int_slider("Runs (random starts)", "runs", 1, 7, lf.RUNS)
    seed = inputs.integer("Random start", "seed", 0, 10_000, 0)

if name == "csv" and upload is None:
    right.info(ex.UPLOAD)
    st.stop()
try:
    data = dataset(name, seed, upload)
except ValueError as exc:
    right.error(ex.bad_file(exc))
    st.stop()
net = {"hidden": hidden, "layers": layers, "batch_size": int(batch)}
shape = (data.X.shape[1], data.classes, activation, len(data.y))
cost = lf.analyse_cost(runs, num_it, *net.values(), *shape)
res = work.compute(
    lf.analyse,
    data,
    cost=cost,
    where=right,
    name="finder",
    spinner=ex.SPINNER,
    runs=runs,
    seed=seed,
    start_lr=start,
    end_lr=end,
    num_it=num_it,
    activation=activation,
    momentum=momentum,
    optimizer=optimizer,
    **net,
)

with right:
    layout.metrics([layout.Metric(*m) for m in ex.metrics(res)], per_row=2)
    for note in ex.notes(res):
        st.warning(note)
    first = res.tests.runs[0]
    view = first.table(clip=True)  # the explosion at the end would flatten everything else
    charts.show(nn_charts.range_test_chart(view, ex.markers(res), **ex.range_chart(seed)))
    steep = res.tests.median["steepest"]
    mark = charts.Marker(steep, res.slope_at(steep), ex.STEEPEST) if steep else None
    charts.show(charts.lines_chart(view.assign(curve=ex.SLOPE_SERIES), optimum=mark, **ex.slope_chart()))
    csv_download(first.table(), "lr_finder.csv", ex.DOWNLOAD)

st.subheader(ex.CHECK_TITLE)
st.write(ex.check_sentence(res))
stands, sentence = ex.verdict(res)
(st.info if stands else st.warning)(sentence)
shown = res.check.assign(curve=ex.CHECK_SERIES, final_loss=res.check.final_loss.clip(upper=10))
mark = charts.Marker(res.suggested, min(res.suggested_loss, 10.0), ex.SUGGESTED_MARK)
charts.show(charts.lines_chart(shown, optimum=mark, **ex.check_chart(res)))
st.caption(ex.gradient_caption(res))

st.subheader(ex.GD_TITLE)
lesson = lf.gd_lesson(inputs.slider("Learning rate", "gd_rate", 0.05, 1.2, 0.75, 0.05))
converges, sentence = ex.gd_sentence(lesson)
(st.success if converges else st.error)(sentence)
if blocked := ex.gd_blocked(lesson):
    st.caption(blocked)
charts.show(nn_charts.path_chart(lesson.curve, lesson.path, height=260, **ex.PATH_AXES))
inputs.share_line(ex.leaves_out(upload is not None))
