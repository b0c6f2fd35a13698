"""Scenarios side by side (optimizers.scenarios): a page's link read back into its inputs and
headline results against the models' closed forms, the comparison's link round-tripped, and a
stranger's or broken link that never raises."""

import math
from urllib.parse import parse_qs, urlencode

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizers import compounding as cm
from optimizers import fuel as fm
from optimizers import scenarios as sc

S = sc.Status


def pricing_closed_form(a=1300.0, b=10.0, c=20.0, fixed=0.0, price=50.0):
    """Linear demand q = a − b·p: profit (p − c)(a − b·p) − F is best at p* = (a/b + c)/2."""
    p = (a / b + c) / 2
    return p, (p - c) * (a - b * p) - fixed, (price - c) * (a - b * price) - fixed


class TestEvaluate:
    def test_basic(self):
        """Every page at its defaults against its closed form."""
        s = sc.evaluate("pricing", "")
        assert s.status is S.OK
        assert (s.optimum, s.best, s.at_choice) == pytest.approx(pricing_closed_form(), rel=1e-10)
        assert s.choice == 50.0
        assert s.mark == pytest.approx((75.0, 30250.0), rel=1e-10)

        s = sc.evaluate("study", "")  # M(1 − e^(−k·h)) − c·h: h* = ln(M·k/c)/k
        h = math.log(100 * 0.3 / 2) / 0.3
        assert s.optimum == pytest.approx(h, rel=1e-10)
        assert s.best == pytest.approx(100 * (1 - math.exp(-0.3 * h)) - 2 * h, rel=1e-10)
        assert s.at_choice == pytest.approx(100 * (1 - math.exp(-0.3 * 15)) - 2 * 15, rel=1e-10)

        s = sc.evaluate("fuel", "")  # gallons per mile = drag·v + idle/v: v* = √(idle/drag)
        assert (s.units, s.choice) == ("us", 65.0)
        assert s.optimum == pytest.approx(math.sqrt(2 / 0.001), rel=1e-10)
        assert s.best == pytest.approx(1 / (2 * math.sqrt(0.001 * 2)), rel=1e-10)
        assert s.at_choice == pytest.approx(1 / (0.001 * 65 + 2 / 65), rel=1e-10)

        s = sc.evaluate("compounding", "")  # continuous: P·e^(r·t)
        assert s.at_choice == pytest.approx(10_000 * math.exp(0.05 * 10), rel=1e-10)
        assert s.mark == (10.0, s.at_choice)
        sale = cm.sell(10_000, 0.5, 5.0).report
        assert (s.optimum, s.best) == pytest.approx((sale.optimum.x, sale.present_value), rel=1e-10)

    def test_inputs_read_back_from_a_link(self):
        s = sc.evaluate("pricing", "unit_cost=10&price=60&fixed_cost=5000&demand_slope=12.5")
        assert s.inputs == {
            "model": "linear",
            "unit_cost": 10.0,
            "fixed_cost": 5000.0,
            "price": 60.0,
            "demand_intercept": 1300.0,
            "demand_slope": 12.5,
        }
        assert (s.optimum, s.best, s.at_choice) == pytest.approx(
            pricing_closed_form(b=12.5, c=10.0, fixed=5000.0, price=60.0), rel=1e-10
        )
        # the elasticity model reads its own slider, the data model its table and fit
        assert "elasticity" in sc.evaluate("pricing", "model=elasticity&elasticity=1.5").inputs
        s = sc.evaluate("pricing", "model=data&data=40:100,45:100,50:100")
        assert s.status is S.OK
        assert s.inputs["data"] == "40:100,45:100,50:100"
        assert "demand_slope" not in s.inputs
        # Fuel in metric reads its metric sliders
        s = sc.evaluate("fuel", "units=metric&speed_kmh=90")
        assert (s.units, s.choice, s.inputs["speed_kmh"]) == ("metric", 90.0, 90.0)

    def test_values_a_page_would_not_take_give_its_defaults(self):
        s = sc.evaluate("pricing", "price=abc&unit_cost=1e999&model=../etc&demand_slope=-1&fixed_cost=nan")
        assert s.status is S.OK
        assert set(s.ignored) == {"price", "unit_cost", "model", "demand_slope", "fixed_cost"}
        assert (s.optimum, s.best, s.at_choice) == pytest.approx(pricing_closed_form(), rel=1e-10)
        s = sc.evaluate("pricing", "target=25000&sweep=price&embed=true&" + "&".join(f"x{i}=1" for i in range(9)))
        assert s.extras == {"target": "25000", **{f"x{i}": "1" for i in range(sc.MAX_EXTRAS - 1)}}
        assert s.ignored == ()

    def test_a_model_that_refuses_its_inputs(self):
        s = sc.evaluate("pricing", "model=data&data=40:100,45:200,50:300")  # demand rising with price
        assert s.status is S.FAILED
        assert isinstance(s.error, ValueError)
        assert math.isnan(s.at_choice)
        assert s.inputs["unit_cost"] == 20.0  # its inputs are still shown
        s = sc.evaluate("compounding", "principal=1e9&rate=30&years=1000")
        assert s.status is S.FAILED

    def test_input_validation(self):
        with pytest.raises(ValueError, match="page must be one of pricing, study, fuel, compounding, got 'allocate'"):
            sc.evaluate("allocate", "")
        with pytest.raises(ValueError, match="got 'nope'"):
            sc.compare("nope", [])

    def test_special_cases(self):
        assert sc.evaluate("pricing", "x" * (sc.MAX_ENTRY_CHARS + 1)).status is S.UNREADABLE
        assert sc.evaluate("pricing", "&".join(f"k{i}=1" for i in range(sc.MAX_FIELDS + 1))).status is S.UNREADABLE
        # a repeated key: the last value wins, as on the page
        assert sc.evaluate("pricing", "price=60&price=70").choice == 70.0


class TestEntries:
    def test_basic(self):
        e = sc.decode_entry("Cheap parts|pricing?unit_cost=10&price=60")
        assert e == sc.Entry("Cheap parts", "pricing", "unit_cost=10&price=60")
        assert e.readable
        assert e.link == "pricing?unit_cost=10&price=60"
        assert sc.decode_entry(e.encode()) == e

    def test_the_comparisons_link_reads_back(self):
        """/compare?page=…&s1=…: every scenario survives URL encoding, names, order and links."""
        entries = [
            sc.Entry("Now", "pricing", ""),
            sc.Entry("Cheap & fast = 50%", "pricing", sc.canonical_query({"unit_cost": "10", "price": "60"})),
            sc.Entry("Data", "pricing", sc.canonical_query({"model": "data", "data": "40:915,45:838,50:750"})),
        ]
        url = urlencode({"page": "pricing"} | {f"s{k}": e.encode() for k, e in enumerate(entries, 1)})
        params = {k: v[-1] for k, v in parse_qs(url, keep_blank_values=True).items()}
        back = sc.decode_entries([params[f"s{k}"] for k in (1, 2, 3)])
        assert back == entries
        assert sc.choose_page(params["page"], back) == "pricing"
        assert [sc.evaluate("pricing", e.query).status for e in back] == [S.OK] * 3

    def test_links_as_a_visitor_pastes_them(self):
        assert sc.read_link("https://host.example/app/pricing/?price=60#x") == ("pricing", "price=60")
        assert sc.read_link("/study?hours=9") == ("study", "hours=9")
        assert sc.read_link("javascript:alert(1)") is None
        assert sc.read_link("http://[::1") is None  # urlsplit raises on this
        assert sc.read_link("pricing?" + "&".join(f"k{i}=1" for i in range(sc.MAX_FIELDS + 1))) is None

    def test_broken_links(self):
        for text in (
            "no separator",
            "Name|",
            "Name|x y",
            "Name|" + "p" * 40,
            "x" * (sc.MAX_ENTRY_CHARS + 5) + "|pricing",
        ):
            e = sc.decode_entry(text, 3)
            assert not e.readable, text
            # a name before a bar is kept (cleaned), so the list can say which link is broken
            assert e.name == (sc.clean_name(text.partition("|")[0]) if "|" in text else "Scenario 3")
            assert e.raw == text[: sc.MAX_ENTRY_CHARS + 1]
            assert e.encode() == e.raw  # written back as it came
            assert e.renamed("New") is e

    def test_names(self):
        assert sc.decode_entry("|pricing", 2).name == "Scenario 2"
        assert sc.clean_name("a\u202eb\x00c|d\n e") == "abc/d e"
        assert sc.unique_names(["x" * 30, "x" * 30]) == ["x" * 30, "x" * 26 + " (2)"]
        names = [e.name for e in sc.decode_entries(["A|pricing", "A|pricing", "A|pricing", "A|pricing", "B|pricing"])]
        assert names == ["A", "A (2)", "A (3)", "A (4)"]  # a fifth is never read
        assert sc.free_name(["Scenario 2", "Scenario 3"]) == "Scenario 4"

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(max_size=300))
    def test_a_strangers_value_never_raises(self, text):
        e = sc.decode_entry(text)
        assert e.readable == (sc.read_link(text.partition("|")[2]) is not None and "|" in text)
        assert len(e.name) <= sc.MAX_NAME_CHARS
        assert "|" not in e.name


class TestCompare:
    def test_basic(self):
        """Three Pricing scenarios: only the price differs; $75 (the optimum) is best."""
        es = [
            sc.Entry("Now", "pricing", ""),
            sc.Entry("Best", "pricing", "price=75"),
            sc.Entry("High", "pricing", "price=100"),
        ]
        c = sc.compare("pricing", es)
        assert (c.page, c.names, c.goal, c.units) == ("pricing", ("Now", "Best", "High"), "max", "")
        assert c.shown == ("price",)
        assert c.best == (1,)
        t = c.table
        assert list(t.columns) == [
            "scenario", "model", "unit_cost", "fixed_cost", "price", "demand_intercept", "demand_slope",
            "best_price", "best_profit", "profit_at_price", "best", "status", "link",
        ]  # fmt: skip
        assert t.price.tolist() == [50.0, 75.0, 100.0]
        assert t.best_price.tolist() == pytest.approx([75.0] * 3, rel=1e-10)
        assert t.profit_at_price.tolist() == pytest.approx([pricing_closed_form(price=p)[2] for p in (50, 75, 100)])
        assert t.best.tolist() == [False, True, False]
        assert t.status.tolist() == ["ok"] * 3
        assert t.link.tolist() == ["pricing?", "pricing?price=75", "pricing?price=100"]
        assert set(c.curves.scenario) == {"Now", "Best", "High"}
        # the dots: each scenario's own price, not Best's (its price is the marked optimum)
        assert c.choices.values.tolist() == [[50.0, 24000.0, "Now"], [100.0, 24000.0, "High"]]

    def test_curves_are_each_scenarios_objective(self):
        es = [sc.Entry("A", "pricing", "unit_cost=10"), sc.Entry("B", "pricing", "unit_cost=30&fixed_cost=1000")]
        c = sc.compare("pricing", es)
        for name, cost, fixed in (("A", 10, 0), ("B", 30, 1000)):
            curve = c.curves[c.curves.scenario == name]
            np.testing.assert_allclose(curve.y, (curve.x - cost) * (1300 - 10 * curve.x) - fixed, rtol=1e-10, atol=1e-8)
        assert c.shown == ("unit_cost", "fixed_cost")
        assert c.best == (0,)

    def test_a_broken_link_and_another_pages_link(self):
        es = [
            sc.Entry("Now", "pricing", ""),
            sc.decode_entry("garbage without a bar", 2),
            sc.Entry("Study", "study", "hours=9"),
            sc.Entry("Split", "allocate", "budget=8"),
        ]
        c = sc.compare("pricing", es)
        assert [s.status for s in c.scenarios] == [S.OK, S.UNREADABLE, S.OTHER_PAGE, S.OTHER_PAGE]
        assert c.scenarios[2].page == "study"
        assert c.computed == (0,)
        assert c.with_inputs == (0,)
        assert c.shown == c.keys  # one scenario with inputs: every input is shown
        assert c.best == (0,)
        assert c.table.status.tolist() == ["ok", "unreadable", "other_page", "other_page"]
        assert c.table.link.tolist()[1:] == ["garbage without a bar", "study?hours=9", "allocate?budget=8"]
        assert c.table.loc[1:, "best_price"].isna().all()
        assert c.table.loc[1:, "unit_cost"].isna().all()

    def test_evaluate_is_called_only_for_this_pages_readable_links(self):
        calls = []

        def counting(page, query):
            calls.append((page, query))
            return sc.evaluate(page, query)

        es = [sc.Entry("A", "pricing", "price=60"), sc.decode_entry("x", 2), sc.Entry("B", "study", "")] * 2
        sc.compare("pricing", es, counting)
        assert calls == [("pricing", "price=60")] * 2  # the first four entries: A, x, B, A

    def test_ties(self):
        es = [sc.Entry("Low", "pricing", "price=50"), sc.Entry("High", "pricing", "price=100")]
        assert sc.compare("pricing", es).best == (0, 1)  # $24,000 both: (50−20)·800 = (100−20)·300
        es = [sc.Entry("Low", "pricing", "price=50"), sc.Entry("Off", "pricing", "price=100.5")]
        assert sc.compare("pricing", es).best == (0,)

    def test_fuel_in_mixed_units(self):
        """A metric scenario beside a US one: results in the first one's units, MPG = 235.2/(L/100 km)."""
        metric = sc.evaluate("fuel", "units=metric")
        c = sc.compare("fuel", [sc.Entry("US", "fuel", ""), sc.Entry("Metric", "fuel", "units=metric")])
        assert (c.units, c.goal, c.results) == ("us", "max", ("best_speed_mph", "best_mpg", "mpg_at_speed"))
        m = c.scenarios[1]
        k = 100 * fm.LITRES_PER_GALLON / fm.KM_PER_MILE
        assert m.optimum == pytest.approx(metric.optimum / fm.KM_PER_MILE, rel=1e-12)
        assert m.best == pytest.approx(k / metric.best, rel=1e-12)
        assert m.at_choice == pytest.approx(k / metric.at_choice, rel=1e-12)
        assert m.inputs["speed_kmh"] == 105.0  # inputs stay as the link has them
        c = sc.compare("fuel", [sc.Entry("Metric", "fuel", "units=metric"), sc.Entry("US", "fuel", "")])
        assert (c.units, c.goal) == ("metric", "min")  # fewer litres per 100 km is better
        assert c.best == (0,) if metric.at_choice < k / sc.evaluate("fuel", "").at_choice else (1,)
        assert list(c.table.columns)[-6:-3] == ["best_speed_kmh", "best_l_per_100km", "l_per_100km_at_speed"]

    def test_text_a_spreadsheet_would_run_is_quoted(self):
        c = sc.compare("pricing", [sc.Entry("=HYPERLINK(1)", "pricing", ""), sc.Entry("-x", "pricing", "price=60")])
        assert c.table.scenario.tolist() == ["'=HYPERLINK(1)", "'-x"]
        assert c.names == ("=HYPERLINK(1)", "-x")  # shown as typed elsewhere (never as markdown)

    def test_special_cases(self):
        c = sc.compare("pricing", [])
        assert (c.best, c.computed, len(c.table), len(c.curves), len(c.choices)) == ((), (), 0, 0, 0)
        assert list(c.table.columns) == [
            "scenario",
            "best_price",
            "best_profit",
            "profit_at_price",
            "best",
            "status",
            "link",
        ]
        # only the first four entries are compared
        c = sc.compare("study", [sc.Entry(f"S{i}", "study", f"hours={i + 5}") for i in range(6)])
        assert c.names == ("S0", "S1", "S2", "S3")
        # Compounding marks the balance after your years, so no dot is drawn beside it
        c = sc.compare("compounding", [sc.Entry("A", "compounding", ""), sc.Entry("B", "compounding", "years=20")])
        assert len(c.choices) == 0
        assert c.best == (1,)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.sampled_from(sc.PAGES),
        st.lists(
            st.one_of(
                st.text(max_size=80),
                st.builds(
                    lambda n, p, kv: f"{n}|{p}?{urlencode(kv)}",
                    st.text(max_size=10),
                    st.sampled_from([*sc.PAGES, "allocate", "x"]),
                    st.dictionaries(
                        st.sampled_from(
                            ["price", "unit_cost", "model", "hours", "units", "speed", "years", "data", "q"]
                        ),
                        st.one_of(st.text(max_size=12), st.floats(allow_nan=True).map(str)),
                        max_size=4,
                    ),
                ),
            ),
            max_size=5,
        ),
    )
    def test_a_strangers_link_never_raises(self, page, values):
        c = sc.compare(page, sc.decode_entries(values))
        assert len(c.table) == min(len(values), sc.MAX_SCENARIOS)
        assert set(c.best) <= set(c.computed)
