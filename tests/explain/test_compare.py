"""The words of /compare (explain.compare): labels are the pages' own, values read as the pages
show them, the verdict names the best scenario by the page's objective, and what a visitor typed
(a name, a pasted link) never renders as markdown."""

import re

import pytest

from explain import compare as ex
from explain import pricing as pw
from explain.format import money
from optimizers import fuel as fm
from optimizers import scenarios as sc


def shown(markdown: str) -> str:
    """What a reader sees of markdown that escapes user text: the backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def pricing(*pairs: tuple[str, str]) -> sc.Comparison:
    return sc.compare("pricing", [sc.Entry(name, "pricing", query) for name, query in pairs])


class TestTable:
    def test_basic(self):
        c = pricing(("Now", ""), ("Cheap parts", "unit_cost=10&price=60"), ("High", "price=100"))
        t = ex.table(c)
        assert list(t.columns) == ["Now", "Cheap parts", "High"]
        assert list(t.index) == [
            pw.SLIDERS["unit_cost"][0],
            pw.SLIDERS["price"][0],
            "Best price",
            "Profit at the best price (per week)",
            "Profit at your price (per week)",
        ]
        assert t["Cheap parts"].tolist() == ["$10", "$60", "$70.00", "$36,000.00", "$35,000.00"]
        assert t["High"].tolist() == ["$20", "$100", "$75.00", "$30,250.00", "$24,000.00"]

    def test_only_scenarios_with_inputs_get_a_column(self):
        c = sc.compare(
            "pricing",
            [sc.Entry("A", "pricing", ""), sc.decode_entry("broken", 2), sc.Entry("S", "study", "")],
        )
        assert list(ex.table(c).columns) == ["A"]
        # a scenario the model refuses keeps its inputs and shows dashes for results
        c = pricing(("A", ""), ("F", "model=data&data=40:100,45:200,50:300"))
        assert ex.table(c)["F"].tolist()[-3:] == ["—", "—", "—"]
        assert ex.table(c).loc["Your weekly price tests", "F"] == "3 weeks"

    def test_values(self):
        assert ex.input_value("pricing", "price", 59.995) == "$59.995"  # two inputs that differ never read the same
        assert ex.input_value("compounding", "rate", 5.25) == "5.25%"
        assert ex.input_value("fuel", "calibrate", "false") == "off"
        example = sc.evaluate("pricing", "model=data").inputs["data"]
        assert ex.input_value("pricing", "data", example) == "the example (10 weeks)"
        assert ex.input_value("fuel", "data", "50:30,60:28,70:25", "us") == "3 observations"
        assert ex.input_label("fuel", "speed_kmh") == "Your cruising speed (km/h)"
        assert ex.input_label("pricing", "target") == "target"  # a parameter the page does not know


class TestVerdict:
    def test_basic(self):
        c = pricing(("Now", ""), ("Best", "price=75"), ("High", "price=100"))
        assert shown(ex.verdict(c)) == "**Best: “Best”**, with the highest weekly profit at your price: $30,250.00."
        assert ex.verdict(pricing(("Only", ""))) == ""  # nothing to compare with

    def test_each_pages_objective(self):
        c = sc.compare("study", [sc.Entry("A", "study", "hours=9"), sc.Entry("B", "study", "")])
        assert shown(ex.verdict(c)).startswith("**Best: “A”**, with the highest effective score at your hours: ")
        assert ex.verdict(c).endswith(" points.")
        metric = sc.Entry("Metric", "fuel", "units=metric")
        c = sc.compare("fuel", [metric, sc.Entry("Slow", "fuel", "units=metric&speed_kmh=80")])
        assert shown(ex.verdict(c)).startswith("**Best: “Slow”**, with the lowest fuel consumption at your speed: ")
        assert ex.verdict(c).endswith(" L/100 km.")
        c = sc.compare("compounding", [sc.Entry("A", "compounding", ""), sc.Entry("B", "compounding", "years=20")])
        assert shown(ex.verdict(c)).startswith("**Best: “B”**, with the highest balance after your years: $")

    def test_ties(self):
        c = pricing(("Low", "price=50"), ("High", "price=100"), ("Mid", "price=60"))
        assert shown(ex.verdict(c)) == ("**Best: “Mid”**, with the highest weekly profit at your price: $28,000.00.")
        c = pricing(("Low", "price=50"), ("High", "price=100"), ("Also", "price=100"))
        assert shown(ex.verdict(c)) == (
            "**Tied for best: “Low”, “High” and “Also”**, with the same weekly profit at your price to the cent: "
            "$24,000.00."
        )

    def test_a_name_is_never_markdown(self):
        c = pricing(("**Bold** [link](https://evil.example) $x$", ""), ("B", "price=100.5"))
        v = ex.verdict(c)
        assert "[link](" not in v
        assert "\\*\\*Bold\\*\\*" in v
        assert "\\$x\\$" in v


class TestNotes:
    def test_basic(self):
        es = [
            sc.Entry("A", "pricing", "price=abc"),
            sc.decode_entry("broken", 2),
            sc.Entry("S", "study", ""),
            sc.Entry("Q", "lab", ""),
        ]
        c = sc.compare("pricing", es)
        assert ex.scenario_notes(c, 0) == [
            ("caption", "Not a usable value in the link, so the page's default is used: Your current price \\(\\$\\).")
        ]
        (box, text), *_ = ex.scenario_notes(c, 1)
        assert box == "error"
        assert "cannot be read" in text
        assert ex.scenario_notes(c, 2) == [
            ("warning", "This is a link to Study hours, not to Pricing: it is not compared. Open it or remove it.")
        ]
        assert shown(ex.scenario_notes(c, 3)[0][1]).startswith("This is a link to /lab, not to Pricing")

    def test_a_failure_says_why_as_the_page_would(self):
        c = pricing(("F", "model=data&data=40:100,45:200,50:300"))
        (box, text), *_ = ex.scenario_notes(c, 0)
        assert box == "error"
        assert "neither demand curve can be fitted" in shown(text)
        c = sc.compare("compounding", [sc.Entry("Big", "compounding", "principal=1e9&rate=30&years=1000")])
        (box, text), *_ = ex.scenario_notes(c, 0)
        assert (box, text.split(".")[0]) == ("error", "This scenario cannot be computed")

    def test_units_note(self):
        c = sc.compare("fuel", [sc.Entry("US", "fuel", ""), sc.Entry("Metric", "fuel", "units=metric")])
        assert shown(ex.units_note(c)) == (
            "Results are in mph and MPG, the first scenario's units; “Metric” converted from km/h and L/100 km."
        )
        assert ex.units_note(sc.compare("fuel", [sc.Entry("US", "fuel", "")])) == ""
        assert ex.units_note(pricing(("A", ""))) == ""

    def test_link_problem_and_add_note(self):
        assert ex.link_problem("http://localhost:8501/fuel?speed=50") == ""
        assert shown(ex.link_problem("**x**")) == "“**x**” is not a link to a page of this app: nothing was added."
        assert ex.add_note(False) == ""
        assert str(sc.MAX_SCENARIOS) in ex.add_note(True)
        assert ex.add_note(False, "the table is too long for a link").endswith("too long for a link.")


class TestChart:
    def test_basic(self):
        c = pricing(("Now", ""), ("Best", "price=75"), ("High", "price=100"))
        kw = ex.chart(c)
        assert (kw["x_title"], kw["y_title"]) == ("Price ($)", "Weekly profit ($)")
        assert kw["points"] is c.choices  # the dots are each scenario's own price
        assert "its own price a dot" in kw["title"]
        assert ex.marks(c) == [
            pytest.approx((75.0, 30250.0, "Now: $75.00")),
            pytest.approx((75.0, 30250.0, "Best: $75.00")),
            pytest.approx((75.0, 30250.0, "High: $75.00")),
        ]

    def test_metric_fuel_and_compounding(self):
        c = sc.compare("fuel", [sc.Entry("M", "fuel", "units=metric")])
        assert ex.chart(c)["y_title"] == "Fuel consumption (L/100 km)"
        assert ex.marks(c)[0][2] == f"M: {c.scenarios[0].optimum:.1f} km/h"
        c = sc.compare("compounding", [sc.Entry("A", "compounding", "years=12.5")])
        x, y, label = ex.marks(c)[0]
        assert (x, label) == (12.5, "A: 12.5 years")
        assert money(y) in ex.table(c).loc["Balance after your years", "A"]

    def test_no_best_price_is_not_marked(self):
        """A price-elastic shop where no price maximises profit: nothing to mark."""
        c = pricing(("E", "model=elasticity&elasticity=0.5"))
        s = c.scenarios[0]
        assert s.status is sc.Status.OK
        assert s.mark is None
        assert ex.marks(c) == []
        assert ex.table(c)["E"].tolist()[-3:-1] == ["—", "—"]


def test_fuel_labels_exist_for_every_slider_key():
    for units in fm.UNITS:
        for s in fm.SLIDERS[units].values():
            assert ex.input_label("fuel", s.key) != s.key
