"""/compare in AppTest: scenarios added through each decision page's "Add to comparison", renamed,
moved and removed; a broken link and another page's link said so; the chart's datasets and the
CSV the link reproduces."""

import io

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from explain import compare as ex
from optimizers import scenarios as sc
from tests.pages.conftest import ROOT, shown
from ui.export import table_to_csv

THREE = {
    "page": "pricing",
    "s1": "Now|pricing?",
    "s2": "Cheap parts|pricing?unit_cost=10&price=60",
    "s3": "High|pricing?price=100",
}


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def visit(at: AppTest, script: str, /, **params: str) -> AppTest:
    """Open page ``script`` in the same session (its memory kept), with ``params`` in the link."""
    at.switch_page(f"app_pages/{script}.py")
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def link(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def table(at: AppTest) -> pd.DataFrame:
    (frame,) = at.dataframe
    return frame.value


def names(at: AppTest) -> list[str]:
    return [t.value for t in at.text_input if t.label == ex.NAME]


def rename(at: AppTest, old: str, new: str) -> None:
    """Type ``new`` into the name box that shows ``old``."""
    at.text_input(key=next(t.key for t in at.text_input if t.label == ex.NAME and t.value == old)).set_value(new).run()


def datasets(at: AppTest) -> dict[str, pd.DataFrame]:
    (chart,) = at.get("vega_lite_chart")
    return {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets}


def csv(at: AppTest) -> pd.DataFrame:
    """The CSV of the comparison the page's link holds (AppTest cannot read a download's bytes;
    the browser test downloads it)."""
    params = link(at)
    entries = sc.decode_entries([params[f"s{k}"] for k in range(1, 5) if f"s{k}" in params])
    data = table_to_csv(sc.compare(params["page"], entries).table)
    return pd.read_csv(io.BytesIO(data), keep_default_na=False)


def test_three_pricing_scenarios_through_the_button():
    at = visit(app(), "pricing", price="60")
    at.button(key="add_to_comparison").click().run()
    assert at.title[0].value == ex.TITLE
    assert link(at) == {"page": "pricing", "s1": "Scenario 1|pricing?price=60"}
    visit(at, "pricing", unit_cost="10", price="60")
    at.button(key="add_to_comparison").click().run()
    # every value given: AppTest keeps a slider's state across pages (unit cost $10 from the
    # last visit), and a link value equal to the default does not overrule it
    visit(at, "pricing", unit_cost="30", price="100")
    at.button(key="add_to_comparison").click().run()
    assert at.title[0].value == ex.TITLE
    assert link(at) == {
        "page": "pricing",
        "s1": "Scenario 1|pricing?price=60",
        "s2": "Scenario 2|pricing?unit_cost=10&price=60",
        "s3": "Scenario 3|pricing?unit_cost=30&price=100",
    }
    assert names(at) == ["Scenario 1", "Scenario 2", "Scenario 3"]
    t = table(at)
    assert list(t.columns) == names(at)
    assert t.loc["Unit cost ($)"].tolist() == ["$20", "$10", "$30"]
    assert t.loc["Your current price ($)"].tolist() == ["$60", "$60", "$100"]
    assert t.loc["Best price"].tolist() == ["$75.00", "$70.00", "$80.00"]  # (a/b + c)/2
    assert t.loc["Profit at your price (per week)"].tolist() == ["$28,000.00", "$35,000.00", "$21,000.00"]
    assert shown(at.success[0].value).startswith("**Best: “Scenario 2”**")
    # adding the same scenario again changes nothing
    visit(at, "pricing", unit_cost="30", price="100")
    at.button(key="add_to_comparison").click().run()
    assert len(names(at)) == 3
    # the CSV: scenario, then the inputs, then the results
    frame = csv(at)
    assert list(frame.columns) == [
        "scenario", "model", "unit_cost", "fixed_cost", "price", "demand_intercept", "demand_slope",
        "best_price", "best_profit", "profit_at_price", "best", "status", "link",
    ]  # fmt: skip
    assert frame.scenario.tolist() == names(at)
    assert frame.profit_at_price.tolist() == [28000.0, 35000.0, 21000.0]
    assert frame.unit_cost.tolist() == [20.0, 10.0, 30.0]
    assert frame.best.tolist() == [False, True, False]
    assert [b.proto.label for b in at.get("download_button")] == [ex.DOWNLOAD]


def test_every_decision_page_adds_its_scenario():
    for page, params in (("study", {"hours": "9"}), ("fuel", {"units": "metric"}), ("compounding", {"years": "20"})):
        at = visit(app(), page, **params)
        at.button(key="add_to_comparison").click().run()
        assert at.title[0].value == ex.TITLE, page
        query = "&".join(f"{k}={v}" for k, v in params.items())
        assert link(at) == {"page": page, "s1": f"Scenario 1|{page}?{query}"}
        assert len(at.get("vega_lite_chart")) == 1


def test_the_fifth_scenario_is_refused():
    four = {"page": "pricing"} | {f"s{k}": f"S{k}|pricing?price={50 + k}" for k in range(1, 5)}
    at = visit(app(), "compare", **four)
    assert len(names(at)) == 4
    visit(at, "pricing", price="90")
    button = at.button(key="add_to_comparison")
    assert button.disabled
    assert "holds 4 scenarios" in " ".join(c.value for c in at.caption)
    at = visit(app(), "compare", **four, s5="S5|pricing?price=99")  # never read
    assert len(names(at)) == 4
    assert "s5" not in link(at)


def test_rename_move_remove():
    at = visit(app(), "compare", **THREE)
    assert names(at) == ["Now", "Cheap parts", "High"]
    rename(at, "High", "  Dear | *bold*  ")
    assert names(at) == ["Now", "Cheap parts", "Dear / *bold*"]
    assert link(at)["s3"] == "Dear / *bold*|pricing?price=100"
    # a name already taken gets a number (the other scenario keeps its name); an empty one is not taken
    rename(at, "Now", "Cheap parts")
    assert names(at) == ["Cheap parts (2)", "Cheap parts", "Dear / *bold*"]
    rename(at, "Cheap parts", "   ")
    assert names(at)[1] == "Cheap parts"
    # move: down the first, up the last
    at.button(key="down_0").click().run()
    assert names(at) == ["Cheap parts", "Cheap parts (2)", "Dear / *bold*"]
    assert link(at)["s1"] == "Cheap parts|pricing?unit_cost=10&price=60"
    assert at.button(key="up_0").disabled
    assert at.button(key="down_2").disabled
    at.button(key="up_2").click().run()
    assert names(at) == ["Cheap parts", "Dear / *bold*", "Cheap parts (2)"]
    assert list(table(at).columns) == names(at)
    # remove the middle one: the last moves up, s3 leaves the link
    at.button(key="remove_1").click().run()
    assert names(at) == ["Cheap parts", "Cheap parts (2)"]
    assert set(link(at)) == {"page", "s1", "s2"}
    assert link(at)["s2"] == "Cheap parts (2)|pricing?"
    assert datasets(at)["lines"].scenario.unique().tolist() == names(at)
    at.button(key="remove_0").click().run()
    at.button(key="remove_0").click().run()
    assert names(at) == []
    assert link(at) == {"page": "pricing"}
    assert at.info[0].value == ex.EMPTY


def test_a_broken_link_says_so_and_can_be_removed():
    at = visit(app(), "compare", **{**THREE, "s2": "this is not a scenario"})
    errors = [e.value for e in at.error]
    assert errors == [ex._UNREADABLE]
    assert names(at)[1] == "Scenario 2"
    assert [t.disabled for t in at.text_input if t.label == ex.NAME] == [False, True, False]
    assert list(table(at).columns) == ["Now", "High"]
    assert link(at)["s2"] == "this is not a scenario"  # kept as it came, for the visitor to see
    at.button(key="remove_1").click().run()
    assert not at.error
    assert names(at) == ["Now", "High"]


def test_another_pages_link_says_so():
    at = visit(app(), "compare", **{**THREE, "s2": "Study plan|study?hours=9"})
    (warning,) = at.warning
    assert warning.value == "This is a link to Study hours, not to Pricing: it is not compared. Open it or remove it."
    assert list(table(at).columns) == ["Now", "High"]
    assert set(datasets(at)["lines"].scenario) == {"Now", "High"}
    # a comparison whose page is unknown takes its first comparable scenario's page
    at = visit(app(), "compare", page="nope", s1="Lab|lab", s2="Car|fuel?speed=50")
    assert link(at)["page"] == "fuel"
    assert [w.value.split(":")[0] for w in at.warning] == ["This is a link to /lab, not to Fuel"]


def test_hostile_values_never_raise():
    at = visit(
        app(),
        "compare",
        page="pricing",
        s1="=cmd|pricing?price=1e999&model=../../x",
        s2="<script>|pricing?" + "&".join(f"k{i}=1" for i in range(50)),
        s3="**x** [y](javascript:alert(1))|pricing?price=70",
        s4="x" * 5000,
    )
    assert names(at)[0] == "=cmd"
    assert "Not a usable value in the link" in shown(" ".join(c.value for c in at.caption))
    assert len(at.error) == 2  # too many fields, too long
    verdict = at.success[0].value
    assert "[y](" not in verdict  # a name is never markdown
    assert csv(at).scenario.tolist()[0] == "'=cmd"  # nor a spreadsheet formula


def test_the_chart_overlays_the_curves_marks_each_optimum_and_dots_each_choice():
    at = visit(app(), "compare", **THREE)
    data = datasets(at)
    assert data["lines"].scenario.unique().tolist() == ["Now", "Cheap parts", "High"]
    marks = data["marks"]
    assert marks.label.tolist() == ["Now: $75.00", "Cheap parts: $70.00", "High: $75.00"]
    assert marks.x.tolist() == pytest.approx([75.0, 70.0, 75.0], rel=1e-10)
    assert data["points"].values.tolist() == [
        [50.0, 24000.0, "Now"],
        [60.0, 35000.0, "Cheap parts"],
        [100.0, 24000.0, "High"],
    ]


def test_the_sidebar_opens_the_last_comparison_and_a_fresh_session_an_empty_one():
    at = visit(app(), "compare", **THREE)
    visit(at, "pricing")
    visit(at, "compare")  # as the sidebar opens it: no parameters
    assert names(at) == ["Now", "Cheap parts", "High"]
    assert link(at) == THREE
    fresh = visit(app(), "compare")
    assert fresh.info[0].value == ex.EMPTY
    assert {el.proto.page for el in fresh.get("page_link")} >= set(sc.PAGES)


def test_add_a_scenario_from_a_pasted_link():
    at = visit(app(), "compare", **THREE)
    at.text_input(key="add_link").set_value("https://example.org/pricing?price=70&unit_cost=25").run()
    assert link(at)["s4"] == "Scenario 4|pricing?price=70&unit_cost=25"
    assert at.text_input(key="add_link").disabled  # four: full
    at = visit(app(), "compare", **THREE)
    at.text_input(key="add_link").set_value("not a link at all").run()
    assert "s4" not in link(at)
    assert shown(at.warning[0].value) == "“not a link at all” is not a link to a page of this app: nothing was added."
    at = visit(app(), "compare")
    at.text_input(key="add_link").set_value("/study?hours=12").run()
    assert link(at) == {"page": "study", "s1": "Scenario 1|study?hours=12"}
