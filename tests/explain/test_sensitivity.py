"""The words of "What moves the optimum": true for every input, and no number in scientific notation."""

import math
import re

import numpy as np
import pytest

from explain import sensitivity as words
from optimizers import compounding as cm
from optimizers import fuel as fm
from optimizers import study as sm
from optimizers.sensitivity import Boundary, End, Param, Problem, Sensitivity, sensitivity

#: What scientific notation looks like in a cell ("1.385e−15", "+4.696e+04").
SCI = re.compile(r"\de[+−-]?\d")


def fuel(units="us", time_value=0.0, limit=None, **model):
    s = {k: v.default for k, v in fm.SLIDERS[units].items()}
    car = fm.FuelModel(model.get("drag", s["drag"]), model.get("idle", s["idle"]))
    return fm.sensitivity_problem(
        car,
        fuel_price=s["fuel_price"],
        distance=s["distance"],
        time_value=time_value,
        speed_limit=s["speed_limit"] if limit is None else limit,
        units=units,
    )


def pricing(c=20.0):
    return Problem(
        lambda x, unit_cost: (x - unit_cost) * (1300 - 10 * x),
        0,
        130,
        "max",
        (Param("unit_cost", c, 0, 100, "unit cost"),),
        x_name="price",
    )


class TestHeadline:
    def test_basic(self):
        assert words.headline(sensitivity(pricing())) == (
            "Your best price is most sensitive to unit cost: 1% more unit cost moves it +0.13%."
        )
        assert words.headline(sensitivity(fuel())).startswith("Your best trip speed is most sensitive to")

    def test_when_no_elasticity_exists_compares_per_unit(self):
        # f = x² − a·x on [−1, 1] at a = 0: x* = 0, so no percentage exists, but dx*/da = 1/2.
        p = Problem(lambda x, a: x**2 - a * x, -1, 1, "min", (Param("a", 0.0, -1.0, 1.0),))
        text = words.headline(sensitivity(p))
        assert "moves most with a" in text
        assert "+0.5" in text

    def test_says_nothing_moves_only_when_nothing_does(self):
        p = Problem(lambda x, a: (x - 0.25) ** 2 + a, -1, 1, "min", (Param("a", 1.0, 0.0, 2.0),))
        assert words.headline(sensitivity(p)).startswith("No input moves the best")

    @pytest.mark.parametrize("c", np.linspace(0, 100, 21))
    def test_true_over_the_unit_cost_range(self, c):
        """The sentence names the input and the sign the numbers have, at every unit cost."""
        rep = sensitivity(pricing(c))
        text = words.headline(rep)
        e = rep.rows[0].optimum_elasticity
        if e == 0:  # c = 0: 1% of nothing moves nothing
            assert text.startswith("Your best price moves most with unit cost: one unit more moves it +0.5")
        else:
            assert f"moves it +{e:.2f}%" in text

    @pytest.mark.parametrize("time_value", [0.0, 10.0, 15.0, 20.0, 40.0])
    @pytest.mark.parametrize("units", ["us", "metric"])
    def test_names_the_largest_effect(self, units, time_value):
        rep = sensitivity(fuel(units, time_value))
        text = words.headline(rep)
        top = max((r for r in rep.rows if r.optimum_elasticity), key=lambda r: abs(r.optimum_elasticity))
        assert f"most sensitive to {top.label}:" in text
        assert SCI.search(text) is None


class TestNotes:
    def test_moved_from_the_model(self):
        """The sentences the rows carried as ``note`` before (issue 18), now written here."""
        rep = sensitivity(fuel(time_value=20.0, limit=80.0))  # the cheapest speed 87.8 is clamped to 80
        rows = {r.parameter: r for r in rep.rows}
        assert words.note(rows["drag"]) == "leaves the upper end when drag a reaches 0.001205"
        assert words.note(rows["distance"]) == "stays at the upper end over the whole range of trip distance"
        assert words.note(rows["speed_limit"]) == ""
        assert words.notes(rep).startswith("On the boundary — drag a: leaves the upper end when drag a reaches")
        assert "leaves the upper end" in words.note(rows["time_value"])

    def test_study(self):
        rows = {r.parameter: r for r in sensitivity(sm.sensitivity_problem(sm.diminishing(100, 0.3, 0), 16)).rows}
        assert (
            words.note(rows["fatigue"])
            == f"leaves the upper end when fatigue cost (c) reaches {30 * math.exp(-4.8):.4g}"
        )

    def test_compounding(self):
        rows = {r.parameter: r for r in sensitivity(cm.sell_sensitivity_problem(10_000, 0.5, 0.05)).rows}
        assert words.note(rows["rate"]) == "leaves the upper end when rate r (%) reaches 0.7906"

    def test_flat_and_interior(self):
        flat = Sensitivity("a", "a", 1.0, math.nan, math.nan, math.nan, Boundary.FLAT)
        assert words.note(flat) == "the objective is flat: no single optimum"
        assert words.note(Sensitivity("a", "a", 1.0, 0.5, 1.0, 0.1)) == ""
        lower = Sensitivity("a", "a", 1.0, 0.0, 1.0, 0.0, Boundary.STAYS, End.LOWER)
        assert words.note(lower) == "stays at the lower end over the whole range of a"
        assert words.notes(sensitivity(pricing())) == ""


class TestTable:
    def test_basic(self):
        table = words.shown_table(sensitivity(pricing()))
        assert list(table.columns) == list(words.columns("price"))
        assert len(table.columns) == 4  # five columns ran off a 390 px phone (issue 19)
        assert table.iloc[0].tolist() == ["unit cost = 20", "+0.5", "−550", "+0.133"]

    @pytest.mark.parametrize("units", ["us", "metric"])
    def test_fuel_shows_no_noise_and_no_scientific_notation(self, units):
        """Issue 19: '+1.385e−15', '+1.616e−17' (noise) and '+4.696e+04' (dollars) are gone."""
        table = words.shown_table(sensitivity(fuel(units)))
        cells = table.to_numpy().ravel().tolist()
        assert not [c for c in cells if SCI.search(c)], cells
        rows = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
        price = next(k for k in rows if k.startswith("fuel price"))
        distance = next(k for k in rows if k.startswith("trip distance"))
        assert rows[price] == rows[distance] == "0"

    def test_markdown_holds_heading_reading_and_notes(self):
        text = words.markdown(sensitivity(fuel(time_value=20.0, limit=80.0)))
        assert text.startswith("### What moves the optimum\n\n")
        assert "On the boundary" in text
        assert "\\(implicit function theorem" in text  # literal text is escaped markdown


class TestAmount:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (-22360.679, "−22,361"),
            (46957.43, "+46,957"),
            (0.5, "+0.5"),
            (-550.0, "−550"),
            (11.18034, "+11.18"),
            (0.0012053, "+0.001205"),
            (1234.6, "+1,235"),  # rounded to a whole number from 1,000 (4 digits)
            (999.95, "+1,000"),
            (1.7453e8, "+174.5 million"),
            (-2.5e9, "−2.5 billion"),
            (3e12, "+3 trillion"),
            (2e15, "+2.000e+15"),
            (1e-7, "+1.000e−07"),
            (0.0, "0"),
            (-0.0, "0"),
            (math.nan, "—"),
            (math.inf, "—"),
        ],
    )
    def test_values(self, value, text):
        assert words.amount(value) == text

    @pytest.mark.parametrize("exponent", np.linspace(-6, 14.9, 60))
    def test_never_scientific_from_a_millionth_to_a_quadrillion(self, exponent):
        for sign in (1, -1):
            text = words.amount(sign * 1.2345678 * 10**exponent)
            assert SCI.search(text) is None, text
            assert ("−" in text) == (sign < 0)

    def test_unsigned(self):
        assert words.amount(1300, sign=False) == "1,300"
        assert words.amount(0.00146, sign=False) == "0.00146"


def test_chart_words():
    p = Param("unit_cost", 20.0, 0, 100, "unit cost", "$ per unit")
    assert words.envelope_title("price", p) == "The best price as unit cost varies"
    assert words.now_label(20.0) == "now: 20"
    assert "best price" in words.sweep_help("price")
