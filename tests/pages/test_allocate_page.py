"""The Split-a-budget page (/allocate) in AppTest, and (load tier) a real server fed a data
editor state of 500 rows over the websocket."""

import json
import re
from pathlib import Path

import pyarrow as pa
import pytest

from explain import allocate as words
from optimizers import allocate as al
from tests.explain.test_allocate import rules
from tests.pages.conftest import ROOT, metrics, open_page, shown
from ui import pages

STUDY, ADS = al.PRESETS["study"], al.PRESETS["ads"]


def texts(at) -> str:
    return shown(" ".join(e.value for e in [*at.markdown, *at.info, *at.warning, *at.error, *at.caption]))


def chart_data(at, i: int) -> tuple[dict, dict[str, list[dict]]]:
    c = at.get("vega_lite_chart")[i]
    data = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in c.proto.datasets}
    return json.loads(c.proto.spec), data


def editor(at):
    (grid,) = [d for d in at.dataframe if (d.key or "").startswith("allocate_")]
    return grid


def test_defaults_show_the_study_example():
    at = open_page("allocate")
    assert at.title[0].value == "Split a budget"
    assert metrics(at) == {"Best total": "54.78 points", "Value of one more hour": "2.19 points"}
    text = texts(at)
    assert "**Spend 5.66 h on Maths, 5.03 h on History and 1.31 h on French.**" in text
    assert "| Maths | 5.66 h | 32.7 | 2.19 |" in text
    assert "get time for any budget above 9.61 h" in text
    assert "### What moves the optimum" in text
    assert "One more hour of budget would go 18% to Maths, 27% to History and 55% to French" in text
    assert not at.warning
    assert not at.error
    assert editor(at).value.to_dict("list") == STUDY.table().to_dict("list")
    buttons = [(b.proto.label, b.proto.id.rsplit("-", 1)[-1]) for b in at.get("download_button")]
    assert [label for label, _ in buttons] == ["Download sensitivity (CSV)", "Download the split (CSV)"]
    assert [
        i.endswith(k)
        for (_, i), k in zip(buttons, ("download_allocate_sensitivity_csv", "download_allocation_csv"), strict=True)
    ] == [True, True]


def test_ads_example():
    at = open_page("allocate", preset="ads")
    assert metrics(at) == {"Best total": "325.5 sign-ups", "Value of one more dollar": "0.0635 sign-ups"}
    assert "**Spend $1,491 on Search, $1,364 on Social and $145 on Display.**" in texts(at)
    assert list(editor(at).value.columns) == ["name", "weight", "scale"]
    assert at.slider(key="budget").value == 3000.0


def test_a_smaller_budget_leaves_french_out():
    at = open_page("allocate", budget="8")
    assert metrics(at)["Value of one more hour"] == "3.03 points"
    text = texts(at)
    assert "**Spend 4.59 h on Maths and 3.41 h on History.**" in text
    assert "French would need 0.531 more points for its first hour to get any time" in text
    assert "French would get none of it" in text


def test_moving_the_budget_slider():
    at = open_page("allocate")
    at.slider(key="budget").set_value(20.0).run()
    a = al.allocate(STUDY.activities(), 20.0)
    assert metrics(at)["Value of one more hour"] == words.UNITS["study"].worth(a.lam)
    assert metrics(at)["Best total"] == words.UNITS["study"].worth(a.value, 4)


def test_the_table_in_the_link_with_any_names():
    """?data= carries names and parameters (names percent-escaped): the page shows and splits that table."""
    table = {
        "name": ["Maths, pure", "Art: drawing", "Überkurs"],
        "ceiling": [60.0, 30.0, 25.0],
        "rate": [0.3, 0.2, 0.1],
    }
    import pandas as pd

    df = pd.DataFrame(table)
    link = al.encode_activities(df, "diminishing")
    assert link == "Maths%2C pure:60:0.3,Art%3A drawing:30:0.2,%C3%9Cberkurs:25:0.1"
    at = open_page("allocate", data=link)
    assert editor(at).value.to_dict("list") == table
    a = al.allocate(al.validate_table(df, "diminishing"), STUDY.budget)
    assert metrics(at)["Value of one more hour"] == words.UNITS["study"].worth(a.lam)
    assert "Maths, pure" in texts(at)


def test_the_visitors_split_in_the_link():
    at = open_page("allocate", current="6:6:0")
    (info,) = at.info
    assert shown(info.value).startswith(
        "**Your split** (Maths 6.00 h, History 6.00 h, French 0 h) scores 54.35 points."
    )
    assert "**moving 1.08 h from History to French gains 0.381 points**" in shown(info.value)
    at.text_input(key="current").set_value("4:6:2").run()
    assert "It adds up to 12.0 h" not in texts(at)
    assert "moving 1.39 h from History to Maths gains 1.21 points" in texts(at)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Maths:40:0.3,History:30:-0.2,French:25:0.1", "Row 2 ('History'): rate must be positive, got −0.2"),
        ("Maths:40:0.3,History:-30:-0.2", "the curve would be not concave (its returns grow)"),
        ("Maths:40:0.3,maths:30:0.2", "Rows 1 and 2 have the same name 'maths'"),
        ("Maths:40:0.3", "The table has 1 activities; between 2 and 8 are allowed"),
        (",".join(f"S{i}:10:0.1" for i in range(9)), "The table has 9 activities"),
        ("Maths:40:0.3,History:30:", "Row 2 ('History'): rate is missing"),
        ("Maths:40:0.3,:30:0.2", "Row 2: the name is empty"),
        ("M" * 41 + ":40:0.3,History:30:0.2", "the name has 41 characters; at most 40"),
    ],
)
def test_bad_tables_are_said_plainly(data, message):
    at = open_page("allocate", data=data)
    (error,) = at.error
    assert shown(error.value).startswith("**This table cannot be split.**")
    assert message in shown(error.value)
    assert not at.metric
    assert at.get("code")  # the share line is still there, to fix or reset
    assert at.button(key="reset_to_defaults")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Maths:nan:0.3,History:30:0.2", "has 'nan', not a number"),
        (",".join(f"S{i}:1:1" for i in range(500)), "The table in the link could not be read"),
        ("Maths:40", "has 1 cells, not 2"),
    ],
)
def test_unreadable_links_show_the_example(data, message):
    at = open_page("allocate", data=data)
    assert message in texts(at)
    assert metrics(at)["Best total"] == "54.78 points"


@pytest.mark.parametrize(
    ("current", "message"),
    [
        ("4:6", "Your split has 2 amounts for 3 subjects (Maths, History and French)"),
        ("-1:2:3", "“-1” is not one"),
        ("0:0:0", "Your split adds up to 0 hours"),
        ("1e999:1:1", "adds up to more than"),
        ("![](//example.org/x)", "is not one"),
    ],
)
def test_a_bad_split_is_said_and_the_rest_of_the_page_stays(current, message):
    at = open_page("allocate", current=current)
    (warning,) = at.warning
    assert message in shown(warning.value)
    assert not at.info
    assert metrics(at)["Best total"] == "54.78 points"


def test_switching_the_example_starts_its_own_table_and_split():
    at = open_page("allocate", data="Maths:60:0.3,History:30:0.2,French:25:0.1", current="4:6:2")
    assert metrics(at)["Best total"] != "54.78 points"
    at.segmented_control(key="preset").set_value("ads").run()
    assert metrics(at)["Best total"] == "325.5 sign-ups"  # the ads example, not 60, 30, 25 read as weights
    assert editor(at).value.to_dict("list") == ADS.table().to_dict("list")
    assert at.text_input(key="current").value == ""
    assert not at.info
    assert "data" not in at.query_params


def test_the_water_filling_chart_and_the_budget_chart():
    at = open_page("allocate", budget="8")
    a = al.allocate(STUDY.activities(), 8.0)
    spec, data = chart_data(at, 0)
    assert rules({"spec": spec, "data": data}) == [pytest.approx(a.lam, rel=1e-12)]  # the line at λ
    assert [(p["name"], p["amount"]) for p in data["points"]] == [(s.name, s.amount) for s in a.shares if s.amount > 0]
    assert {r["name"] for r in data["lines"]} == {"Maths", "History", "French"}
    spec, data = chart_data(at, 1)
    assert len(spec["vconcat"]) == 2  # λ over the split, one x axis
    lam = [r["lam"] for r in data["lines"]]
    assert lam == sorted(lam, reverse=True)
    now = [m for m in data["marks"] if m["role"] == "optimum"]
    assert now[0]["x"] == 8.0
    assert now[0]["y"] == pytest.approx(a.lam, rel=1e-12)
    assert now[0]["label"] == "now: 8.00 h"


def test_home_links_the_page_through_the_registry():
    page = pages.by_path("allocate")
    assert page.title == "Split a budget"
    assert page.section == "Plans"
    assert [p.section for p in pages.PAGES].index("Plans") == [p.path for p in pages.PAGES].index("compounding") + 1
    assert "allocate" in {el.proto.page for el in open_page("home").get("page_link")}


def test_the_page_file_stays_thin():
    lines = Path(ROOT / "app_pages" / "allocate.py").read_text().splitlines()
    assert len(lines) <= 120
    assert not [line for line in lines if re.search(r'f"[^"]* ', line)]  # no sentences built in the page


# --- load tier: a real server, a 500-row data editor state over the websocket ----------------------


@pytest.mark.load
@pytest.mark.parametrize(("added", "said"), [(497, "The table has 500 rows"), (498, "not applied")])
def test_a_500_row_editor_state_costs_less_than_the_work_budget(added, said):
    """The component applies at most 500 rows (501 resets the table); validate_table refuses more than
    24 before reading a cell, so a stranger's 500-row edit costs a refusal, not 500 solves."""
    import time

    from runtime import budget
    from runtime.launch import Server
    from tests.security.test_server_attacks import CORES, tree_cpu, workers
    from tests.support.loadgen import Visit, run_sync

    state = json.dumps(
        {"edited_rows": {}, "added_rows": [{"name": f"r{i}", "ceiling": 1, "rate": 1} for i in range(added)]}
        | {"deleted_rows": []}
    )

    async def attack(url, pid):
        v = Visit(url, "/allocate")
        await v.open()
        (grid,) = [e.dataframe.id for e in v.elements if e.WhichOneof("type") == "dataframe"]
        c0 = tree_cpu(pid)
        r = await v.set_state(grid, "string_value", state)
        cpu = tree_cpu(pid) - c0
        await v.close()
        return v, r, cpu

    async def warm(url):
        v = Visit(url, "/allocate")
        await v.open()
        await v.close()

    with Server("app.py") as server:
        run_sync(warm(server.url))  # imports and the pool's workers: not part of the number
        deadline = time.monotonic() + 60
        while workers(server.pid) < CORES and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)
        v, r, cpu = run_sync(attack(server.url, server.pid))
    print(f"\n{added} added rows on /allocate: {cpu:.2f} CPU-seconds, {r.seconds:.2f} s")
    assert r.ok
    assert [t for t in v.texts() if said in t.replace("\\", "")]
    assert cpu < budget.CAP_SECONDS
