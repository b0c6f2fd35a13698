"""The shared chart: the optimum is marked on both charts, axes carry units, and the spec
stays the same while the user moves the current point (so the browser only swaps data)."""

import json

from optimizers import pricing as pr
from ui.charts import Marker, objective_chart

TITLES = {"x_title": "Price ($)", "y_title": "Weekly profit ($)", "marginal_title": "Marginal profit ($ per $1)"}


def charts_at(price: float):
    r = pr.analyse(pr.linear_demand(1300, 10), 20, price)
    return objective_chart(
        r.curve,
        **TITLES,
        optimum=Marker(r.optimum.x, r.optimum.fun, "optimum $75.00"),
        current=Marker(price, r.profit_at_price, f"you: ${price:.2f}"),
        current_slope=r.marginal_at_price,
    )


def layers_only(spec: dict) -> str:
    return json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)


class TestObjectiveChart:
    def test_basic(self):
        top, bottom = charts_at(50.0)
        assert '"title": "Price ($)"' in layers_only(top)
        assert '"title": "Weekly profit ($)"' in layers_only(top)
        assert '"title": "Marginal profit ($ per $1)"' in layers_only(bottom)
        marks = top["datasets"]["marks"].to_pylist()
        assert {(m["role"], m["x"], m["y"], m["label"]) for m in marks} == {
            ("optimum", 75.0, 30250.0, "optimum $75.00"),
            ("current", 50.0, 24000.0, "you: $50.00"),
        }
        # on the marginal chart the optimum sits where f' crosses zero
        below = {m["role"]: m for m in bottom["datasets"]["marks"].to_pylist()}
        assert (below["optimum"]["x"], below["optimum"]["y"], below["optimum"]["label"]) == (75.0, 0.0, "f′ = 0")
        assert (below["current"]["x"], below["current"]["y"]) == (50.0, 500.0)
        # the tangent at $50 has slope 500: both end points lie on y = 24000 + 500 (x - 50)
        tangent = top["datasets"]["tangent"].to_pylist()
        assert len(tangent) == 2
        for row in tangent:
            assert abs(row["y"] - (24000 + 500 * (row["x"] - 50))) < 1e-6
        assert top["datasets"]["curve"].num_rows == pr.CURVE_POINTS

    def test_spec_is_stable_when_only_the_current_point_moves(self):
        (top50, bottom50), (top60, bottom60) = charts_at(50.0), charts_at(60.0)
        assert layers_only(top50) == layers_only(top60)
        assert layers_only(bottom50) == layers_only(bottom60)
        assert top50["datasets"]["marks"] != top60["datasets"]["marks"]

    def test_without_optimum_or_current_point(self):
        r = pr.analyse(pr.elasticity_like_linear(0.8, 1300, 10), 20, 500)
        top, bottom = objective_chart(r.curve, **TITLES)
        assert top["datasets"]["marks"].num_rows == 0
        assert bottom["datasets"]["marks"].num_rows == 0
        assert top["datasets"]["tangent"].num_rows == 0
