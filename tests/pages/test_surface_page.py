"""The "Your own surface" page in AppTest: the defaults, every URL parameter, the presets, a
constraint, the path's start, bad formulas and boxes, the chart's data, and the work budget."""

import json
import time

import pyarrow as pa
import pytest

from explain import surface as words
from optimizers import expression as ex
from optimizers import surface as sf
from runtime import budget
from runtime.workpool import default_pool
from tests.pages.conftest import metrics, open_page, shown


def page_text(at) -> str:
    return " ".join(shown(e.value) for e in [*at.markdown, *at.caption, *at.warning, *at.error, *at.info])


def chart(at) -> tuple[dict, dict]:
    """The heat map's spec and its datasets (name -> list of rows)."""
    (el,) = at.get("vega_lite_chart")
    data = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in el.proto.datasets}
    return json.loads(el.proto.spec), data


def test_defaults():
    at = open_page("surface")
    assert metrics(at) == {"Global minimum": "−1", "Reached at": "(−1, −1) and (1, 1)", "Critical points": "3"}
    text = page_text(at)
    assert ":green-badge[:material/verified: Certified: nothing in the box is below −1 − " in text
    assert "H has eigenvalues 8 and 16, both positive: a minimum" in text
    assert "**Gradient descent** from (−1.5, 1.2) came to rest at (−1, −1) after 16 steps" in text
    assert "| (0, 0) | 1 | saddle | −4, 4 |" in text
    assert at.get("download_button")[0].proto.label == words.CSV_LABEL
    assert [e.value.strip("$\n")[:20] for e in at.latex] == [r"\begin{aligned} f(x,"]


def test_chart_data():
    at = open_page("surface")
    spec, data = chart(at)
    assert data["box"][0]["url"].startswith("data:image/png;base64,")
    assert [s["shade"] for s in data["shade"]] == [-1.0, 49.0]  # the colour legend: f's extent on the box
    assert sorted((p["kind"], p["x"], p["y"]) for p in data["points"]) == [
        ("minimum", -1.0, -1.0),
        ("minimum", 1.0, 1.0),
        ("saddle", 0.0, 0.0),
    ]
    assert sorted((m["role"], m["x"], m["y"]) for m in data["marks"]) == [
        ("optimum", -1.0, -1.0),
        ("optimum", 1.0, 1.0),
        ("start", -1.5, 1.2),
    ]
    assert data["path"][0]["x"] == -1.5
    assert data["path"][-1]["x"] == pytest.approx(-1.0, abs=1e-5)
    assert len(data["field"]) > 200  # 15 x 15 samples, less any where the gradient vanishes
    assert data["curve"] == []
    legend = next(layer for layer in spec["layer"] if layer["data"]["name"] == "points")
    assert legend["encoding"]["color"]["scale"] == {"domain": ["minimum", "saddle"], "range": ["blue", "green"]}


def test_url_parameters():
    at = open_page("surface", f="x^2 - y^2", x_lo="-1", x_hi="1", y_lo="-1", y_hi="1", goal="max", x0="0.5", y0="0.1")
    m = metrics(at)
    assert m["Global maximum"] == "1"
    assert m["Reached at"] == "(−1, 0) and (1, 0)"
    assert m["Critical points"] == "1"
    text = page_text(at)
    assert "| (0, 0) | 0 | saddle | −2, 2 |" in text
    assert "**Gradient ascent** from (0.5, 0.1) reached the box's boundary at (1, 0)" in text


def test_newton_and_a_start_outside_the_box():
    at = open_page("surface", method="newton", x0="9", y0="0.5")
    text = page_text(at)
    assert (
        "Your start point (9, 0.5) is outside the box: the path starts at the nearest point of the box, (2, 0.5)."
        in (text)
    )
    assert "**Newton's method** from (2, 0.5)" in text
    assert "heads for a critical point of any kind, saddles included, and not always the nearest one" in text


def test_constraint():
    at = open_page(
        "surface",
        f="100 x^0.75 y^0.25",
        x_lo="0",
        x_hi="400",
        y_lo="0",
        y_hi="250",
        goal="max",
        g="150x + 250y = 50000",
    )
    assert metrics(at) == {
        "Global maximum": "16,718.51",
        "Reached at": "(250, 50)",
        "Critical points": "0",
        "Lagrange multiplier": "0.33437",
    }
    text = page_text(at)
    assert "**On the curve g(x, y) = 0, the maximum of f is 16,718.51, at (250, 50).**" in text
    assert not [m.value for m in at.markdown if "-badge[" in m.value]  # none for the bound without g
    _, data = chart(at)
    assert len(data["curve"]) > 20  # the budget line, as segments
    assert ("optimum", 250.0, 50.0) in {(m["role"], round(m["x"], 9), round(m["y"], 9)) for m in data["marks"]}


@pytest.mark.parametrize("key", list(sf.PRESETS))
def test_presets(key):
    at = open_page("surface")
    at.button(key=f"preset_{key}").click().run()
    assert not at.exception
    f, _, goal, g, start = sf.PRESETS[key]
    assert at.text_input(key="f").value == f
    assert at.text_input(key="g").value == (g or "")
    assert (at.number_input(key="x0").value, at.number_input(key="y0").value) == start
    m = metrics(at)
    assert ("Global minimum" if goal == "min" else "Global maximum") in m
    assert ("Lagrange multiplier" in m) == bool(g)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"f": "x + z"}, "Cannot use this formula: unknown name 'z'"),
        ({"f": "__import__('os').system('ls')"}, "Cannot use this formula: only calls like sin(x)"),
        ({"g": "x + y = = 1"}, "Cannot use this constraint: write the constraint with one '=' at most"),
        ({"x_lo": "3"}, "The box needs 'x from' < 'x to'; got x from 3 to 2."),
        ({"f": "log(x) + y"}, "f is not defined at (−2, −2) in this box"),
        ({"f": "1/(x - y - 0.013)"}, "f has a pole in this box"),
    ],
)
def test_bad_input_is_a_message(params, message):
    at = open_page("surface", **params)
    assert message in shown(at.error[0].value)
    assert not at.metric
    assert not at.get("vega_lite_chart")


def test_the_visitors_text_is_never_markdown():
    at = open_page("surface", f="x + __init__")
    assert "unknown name \\'\\_\\_init\\_\\_\\'" in at.error[0].value  # shown literally, not bold


@pytest.mark.parametrize(
    ("f", "g"),
    [
        ("exp(sin(exp(sin(exp(sin(exp(sin(exp(sin(exp(sin(20x+20y))))))))))))", ""),
        (
            "tanh(sin(xy)+cos(x-y))*erf(xy-sin(x+y))*sigmoid(cos(xy)+sin(x-y))*softplus(sin(xy)-cos(x+y))",
            "exp(sin(exp(sin(exp(sin(x+y)))))) = sin(exp(sin(exp(sin(x-y)))))",
        ),
    ],
)
def test_the_heaviest_formulas_are_planned_inside_the_budget(f, g):
    """What one update asks of the pool never exceeds the cap: the certified search is left out
    first (and said), the rest fits."""
    parsed, parsed_g = ex.prepare_xy(f), sf.constraint_surface(g) if g else None
    path = sf.path_cost(parsed, "newton")
    full = sf.cost(parsed, parsed_g) + path
    lean = sf.cost(parsed, parsed_g, certificate=False) + path
    assert full.seconds > budget.CAP_SECONDS  # these formulas cannot also be certified in one update
    assert lean.seconds <= budget.CAP_SECONDS


@pytest.mark.load
def test_the_heaviest_formula_stays_inside_the_work_budget():
    """The formula with the most expensive derivatives the parser lets through (5,034 operations
    in f, ∇f and ∇²f; 500 critical points) with a heavy constraint: the page answers, or says the
    work was stopped, within the pool's limit for its estimate, never in the server process."""
    f = "exp(sin(exp(sin(exp(sin(exp(sin(exp(sin(exp(sin(20x+20y))))))))))))"
    g = "exp(sin(exp(sin(exp(sin(x+y)))))) = sin(exp(sin(exp(sin(x-y)))))"
    open_page("surface")  # imports and the chart's first build: once per server, not this formula's work
    before, cpu = default_pool().stats(), time.process_time()
    t0 = time.perf_counter()
    at = open_page("surface", f=f, g=g)
    wall = time.perf_counter() - t0
    assert not at.exception
    text = page_text(at)
    assert metrics(at) or "took too long and was stopped" in text
    assert time.process_time() - cpu < budget.CAP_SECONDS  # the heavy work ran in the pool
    assert wall < 2 * budget.HARD_TIMEOUT_SECONDS + 15  # symbolic work, analysis and path, each capped
    after = default_pool().stats()
    assert after.completed + after.timed_out > before.completed + before.timed_out
