"""The words of the Split-a-budget page: the tutorial-style sentences at the examples, and every
sentence checked against the numbers (re-solved independently) over random tables and budgets."""

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explain import allocate as words
from explain.format import percent
from explain.work import join
from optimizers import allocate as al
from ui import charts

STUDY, ADS = al.PRESETS["study"], al.PRESETS["ads"]
U_STUDY, U_ADS = words.UNITS["study"], words.UNITS["ads"]
#: Names none of which is part of another, so "is X in the sentence" means X.
NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]
# Shown text must never hold a bare nan/inf or a negative zero (as tests/security/test_url_battery.py).
NON_FINITE = re.compile(r"(?<![\w.])(?:nan|NaN|inf|Infinity)(?![\w])|(?<![\w.\d])[−-]0(?:\.0+)?(?![\d.])")
LINK = re.compile(r"(?<!\\)\]\((?!\\)")


def shown(markdown: str) -> str:
    """What a reader sees of markdown with escaped user text."""
    return re.sub(r"\\(.)", r"\1", markdown)


def report(preset, budget, amounts=None, table=None):
    return al.analyse(preset.table() if table is None else table, preset.family, budget, amounts=amounts)


def random_table(rng, family: al.Family, n: int) -> pd.DataFrame:
    """A valid table at everyday scales: study-like or ads-like curves."""
    first, second = al.PARAMETERS[family]
    if family is al.Family.DIMINISHING:
        p1, p2 = 10 ** rng.uniform(0, 2, n), 10 ** rng.uniform(-2, 0.3, n)
    else:
        p1, p2 = 10 ** rng.uniform(1, 2.7, n), 10 ** rng.uniform(1.5, 3.5, n)
    return pd.DataFrame({"name": NAMES[:n], first: p1, second: p2})


def cases(count: int, seed: int):
    """(family, units, table, budget) over both families, 2–8 rows and budgets from tiny to large."""
    rng = np.random.default_rng(seed)
    for i in range(count):
        family = (al.Family.DIMINISHING, al.Family.LOG)[i % 2]
        u = U_STUDY if family is al.Family.DIMINISHING else U_ADS
        n = int(rng.integers(2, 9))
        scale = 1.0 if family is al.Family.DIMINISHING else 300.0
        yield family, u, random_table(rng, family, n), float(scale * 10 ** rng.uniform(-1.5, 1.7))


def quick(table, family, budget, amounts=None) -> al.AllocateReport:
    """The report without the chart sweeps' hundreds of solves (2 points each): the sentences read
    only the allocation and the comparison."""
    return al.analyse(table, family, budget, amounts=amounts, n=2)


def funded_names(alloc: al.Allocation) -> set[str]:
    return {s.name for s in alloc.shares if s.status is al.Status.FUNDED}


def resolve(table, family, budget) -> al.Allocation:
    return al.allocate(al.validate_table(table, family), budget)


def value_of(acts, amounts) -> float:
    """Σ vᵢ(xᵢ) from the family formulas (independent of the module's methods)."""
    total = 0.0
    for a, x in zip(acts, amounts, strict=True):
        c = a.curve
        if isinstance(c, al.Diminishing):
            total += c.ceiling * (1 - math.exp(-c.rate * x))
        else:
            total += c.weight * math.log1p(x / c.scale)
    return total


def marginal_of(act, x) -> float:
    c = act.curve
    if isinstance(c, al.Diminishing):
        return c.ceiling * c.rate * math.exp(-c.rate * x)
    return c.weight / (c.scale + x)


def all_text(r: al.AllocateReport, u: words.Units) -> list[str]:
    out = [words.story(), words.answer(r, u), words.allowable(r, u), *words.unfunded(r, u)]
    out += [words.sensitivity_text(r, u), words.comparison(r, u) or ""]
    for label, value, help_ in words.metrics(r, u):
        out += [label, value, help_]
    for table, formats in (words.split_table(r, u), words.sensitivity_table(r, u)):
        out += [formats[c](v) if c in formats else str(v) for c in table.columns for v in table[c]]
    lam, split, now = words.budget_charts(r, u)
    out += [now, *(kw[k] for kw in (lam, split, words.marginal_chart(r, u)) for k in ("title", "x_title", "y_title"))]
    return out


# --- The sentences at the examples ---------------------------------------------------------------


class TestExamples:
    def test_study_at_12_hours(self):
        r = report(STUDY, 12.0)
        assert words.metrics(r, U_STUDY)[0][:2] == ("Best total", "54.78 points")
        assert words.metrics(r, U_STUDY)[1][:2] == ("Value of one more hour", "2.19 points")
        assert shown(words.answer(r, U_STUDY)).startswith(
            "**Spend 5.66 h on Maths, 5.03 h on History and 1.31 h on French.** Each one's next hour is "
            "then worth the same, 2.19 points"
        )
        assert shown(words.allowable(r, U_STUDY)) == (
            "**Allowable range:** the same subjects (Maths, History and French) get time for any budget above "
            "9.61 h (Solver's allowable decrease: 2.39 h; no limit on the increase)."
        )
        assert words.unfunded(r, U_STUDY) == []
        assert shown(words.sensitivity_text(r, U_STUDY)) == (
            "### What moves the optimum\n\nOne more hour of budget would go 18% to Maths, 27% to History and "
            "55% to French (dxᵢ*/dB), and raise the best total by 2.19 points (dV*/dB = λ, the envelope theorem)."
        )

    def test_study_at_8_hours_french_gets_nothing(self):
        """docs/allocate-method.md: at 8 h French's first hour (2.5 points) is worth 0.53 less than λ = 3.03."""
        r = report(STUDY, 8.0)
        assert words.metrics(r, U_STUDY)[1][1] == "3.03 points"
        (line,) = words.unfunded(r, U_STUDY)
        assert shown(line) == (
            "French would need 0.531 more points for its first hour to get any time: that hour is worth "
            "2.50 points, one more hour elsewhere 3.03 (Solver's reduced gradient: −0.531). It gets time once "
            "the budget is above 9.61 h."
        )
        assert "Solver's allowable decrease: 5.69 h; allowable increase: 1.61 h" in words.allowable(r, U_STUDY)
        assert "French would get none of it" in words.sensitivity_text(r, U_STUDY)

    def test_study_at_2_hours_maths_alone(self):
        r = report(STUDY, 2.0)
        assert shown(words.answer(r, U_STUDY)).startswith("**Spend all 2.00 h on Maths.** Its next hour is still worth")
        assert shown(words.allowable(r, U_STUDY)) == (
            "**Allowable range:** Maths alone gets time for any budget up to 2.31 h (Solver's allowable "
            "increase: 0.310 h; no limit on the decrease)."
        )

    def test_ads_at_3000_dollars(self):
        r = report(ADS, 3000.0)
        assert [m[:2] for m in words.metrics(r, U_ADS)] == [
            ("Best total", "325.5 sign-ups"),
            ("Value of one more dollar", "0.0635 sign-ups"),
        ]
        assert shown(words.answer(r, U_ADS)).startswith(
            "**Spend $1,491 on Search, $1,364 on Social and $145 on Display.**"
        )
        assert "any budget above $2,200" in words.allowable(r, U_ADS)

    def test_the_visitors_split(self):
        """docs/allocate-method.md: Maths 6, History 6, French 0 scores 54.35; moving 1.08 h from History
        to French gains 0.38 points, and afterwards both are worth 2.24 points per hour."""
        text = shown(words.comparison(report(STUDY, 12.0, [6, 6, 0]), U_STUDY))
        assert text == (
            "**Your split** (Maths 6.00 h, History 6.00 h, French 0 h) scores 54.35 points. The best split of "
            "the same 12.0 h scores 54.78 points, 0.425 more. The best single move: **moving 1.08 h from History "
            "to French gains 0.381 points**; after it both are worth 2.24 points for their next hour."
        )

    def test_a_split_of_another_total_is_said(self):
        text = shown(words.comparison(report(STUDY, 20.0, [4, 6, 2]), U_STUDY))
        assert "It adds up to 12.0 h, not the 20.0 h budget, so it is compared with the best split of 12.0 h." in text

    def test_moving_all_of_one_subject(self):
        """docs/allocate-method.md: from (Maths 0, History 2.5, French 0.5) French has the lowest marginal
        value; all of it to Maths is an ALL move when it is the best pair."""
        r = report(STUDY, 3.0, [0.0, 0.5, 2.5])
        assert r.comparison.move.kind is al.MoveKind.ALL
        text = shown(words.comparison(r, U_STUDY))
        m = r.comparison.move
        assert f"**moving all {U_STUDY.amount(m.amount)} of {m.source} to {m.target} gains" in text
        assert f"still worth {U_STUDY.worth(m.target_marginal)}, no less than {m.source}'s first" in text

    def test_the_best_split_itself(self):
        best = report(STUDY, 12.0).allocation.amounts
        text = shown(words.comparison(report(STUDY, 12.0, list(best)), U_STUDY))
        assert text.endswith("That is as good as the best split of 12.0 h (54.78 points).")

    def test_no_comparison_without_a_split(self):
        assert words.comparison(report(STUDY, 12.0), U_STUDY) is None

    def test_allocation_csv(self):
        r = report(STUDY, 12.0)
        t = words.allocation_table(r)
        assert list(t.columns) == ["activity", "amount", "marginal_value", "value"]
        assert t.activity.tolist() == ["Maths", "History", "French"]
        assert t.amount.tolist() == [s.amount for s in r.allocation.shares]
        assert t.marginal_value.to_numpy() == pytest.approx(r.allocation.lam, rel=1e-12)
        assert t.value.sum() == pytest.approx(r.allocation.value, rel=1e-12)


# --- Every sentence true for every input ---------------------------------------------------------


class TestTruth:
    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_answer_names_exactly_the_funded_and_lambda_is_the_common_marginal(self, seed):
        for family, u, table, budget in cases(40, seed):
            r = quick(table, family, budget)
            a = r.allocation
            text = shown(words.answer(r, u))
            for act, s in zip(r.activities, a.shares, strict=True):
                if s.status is al.Status.FUNDED:  # KKT from the formulas: vᵢ′(xᵢ) = λ
                    assert marginal_of(act, s.amount) == pytest.approx(a.lam, rel=1e-8)
                    assert f"{u.amount(s.amount)} on {s.name}" in text
                else:  # no unfunded first unit is worth more than λ
                    assert marginal_of(act, 0.0) <= a.lam * (1 + 1e-9)
                    assert s.name not in text
            assert u.worth(a.lam) in text
            assert text.startswith("**Spend all") == (len(funded_names(a)) == 1)

    @pytest.mark.parametrize("seed", [4, 5])
    def test_metrics_lambda_is_what_one_more_unit_adds(self, seed):
        for family, u, table, budget in cases(20, seed):
            a = quick(table, family, budget).allocation
            (_, best, _), (label, lam, _) = words.metrics(quick(table, family, budget), u)
            assert best == u.worth(a.value, 4)
            assert label == f"Value of one more {u.unit}"
            assert lam == u.worth(a.lam)
            h = 1e-5 * budget
            slope = (resolve(table, family, budget + h).value - resolve(table, family, budget - h).value) / (2 * h)
            assert slope == pytest.approx(a.lam, rel=1e-4)  # "how much the best total rises per extra unit"

    @pytest.mark.parametrize("seed", [6, 7, 8])
    def test_allowable_range_is_where_the_same_activities_stay_funded(self, seed):
        for family, u, table, budget in cases(20, seed):
            r = quick(table, family, budget)
            a = r.allocation
            same = funded_names(a)
            text = shown(words.allowable(r, u))
            for t in (0.02, 0.5, 0.98):  # strictly inside (low, B]
                assert funded_names(resolve(table, family, a.budget_low + t * (budget - a.budget_low))) == same
            if a.budget_low > 0:
                assert f"above {u.amount(a.budget_low)}" in text
                assert f"allowable decrease: {u.amount(budget - a.budget_low)}" in text
                assert funded_names(resolve(table, family, a.budget_low * (1 - 1e-6))) != same
            else:
                assert "no limit on the decrease" in text or "no limit either way" in text
            if math.isfinite(a.budget_high):
                assert f"up to {u.amount(a.budget_high)}" in text
                assert f"allowable increase: {u.amount(a.budget_high - budget)}" in text
                assert funded_names(resolve(table, family, a.budget_high)) == same
                assert funded_names(resolve(table, family, a.budget_high * (1 + 1e-6))) != same
            else:
                assert "no limit on the increase" in text or "no limit either way" in text
            for name in same:
                assert name in text

    @pytest.mark.parametrize("seed", [9, 10])
    def test_each_unfunded_activity_needs_what_the_sentence_says(self, seed):
        seen = 0
        for family, u, table, budget in cases(40, seed):
            r = quick(table, family, budget)
            a = r.allocation
            lines = words.unfunded(r, u)
            left_out = [
                (act, s) for act, s in zip(r.activities, a.shares, strict=True) if s.status is al.Status.UNFUNDED
            ]
            assert len(lines) == len(left_out)
            for line, (act, s) in zip(lines, left_out, strict=True):
                text = shown(line)
                first = marginal_of(act, 0.0)
                assert first == pytest.approx(s.first_marginal, rel=1e-12)
                assert text.startswith(s.name)
                if "on the edge" in text:
                    assert words.sig(a.lam - first) == "0"
                    continue
                seen += 1
                assert a.lam > first  # it would need more: its first unit is worth less than λ
                assert f"would need {words.sig(a.lam - first)} more {u.value}" in text
                assert f"its first {u.unit} is worth" not in text or u.worth(first) in text
                assert f"once the budget is above {u.amount(s.entry_budget)}" in text
                assert s.entry_budget >= budget * (1 - 1e-12)
                assert s.name in funded_names(resolve(table, family, s.entry_budget * (1 + 1e-6)))
        assert seen > 10  # the grid reaches unfunded activities

    @pytest.mark.parametrize("seed", [11, 12, 13])
    def test_the_visitors_split_and_the_best_single_move(self, seed):
        rng = np.random.default_rng(seed)
        moves = {al.MoveKind.BALANCED: 0, al.MoveKind.ALL: 0}
        for family, u, table, budget in cases(30, seed):
            n = len(table)
            amounts = rng.dirichlet(np.ones(n)) * budget * rng.choice([0.5, 1.0, 1.0, 2.0])
            amounts[rng.random(n) < 0.3] = 0.0
            if amounts.sum() <= 0:
                amounts[0] = budget
            r = quick(table, family, budget, amounts=amounts.tolist())
            c = r.comparison
            text = shown(words.comparison(r, u))
            mine = value_of(r.activities, amounts)
            assert c.value == pytest.approx(mine, rel=1e-12)
            assert f"scores {u.worth(mine, 4)}" in text
            assert ("It adds up to" in text) == (not math.isclose(amounts.sum(), budget, rel_tol=1e-12))
            best = resolve(table, family, amounts.sum()).value
            assert best >= mine * (1 - 1e-12)
            if c.move is None:
                assert "as good as the best split" in text
                assert best - mine <= 1e-9 * best
                continue
            m = c.move
            assert f"{words.sig(best - mine)} more" in text or words.sig(c.gap) in text
            after = amounts.copy()
            after[m.source_index] -= m.amount
            after[m.target_index] += m.amount
            gain = value_of(r.activities, after) - mine
            assert gain > 0
            assert gain == pytest.approx(m.gain, rel=1e-7, abs=1e-12 * best)
            assert f"{u.amount(m.amount)}" in text
            assert f"gains {u.worth(m.gain)}" in text
            target_m = marginal_of(r.activities[m.target_index], after[m.target_index])
            source_m = marginal_of(r.activities[m.source_index], after[m.source_index])
            if m.kind is al.MoveKind.BALANCED:  # "after it both are worth X for their next unit"
                assert target_m == pytest.approx(source_m, rel=1e-7)
                assert f"both are worth {u.worth(target_m)}" in text
            else:  # "moving all of S ... T's next unit is still worth no less than S's first"
                assert m.amount == amounts[m.source_index]
                assert target_m >= source_m * (1 - 1e-9)
            moves[m.kind] += 1
        assert moves[al.MoveKind.BALANCED] >= 1, moves
        assert sum(moves.values()) >= 15, moves

    @pytest.mark.parametrize("seed", [14, 15])
    def test_where_one_more_unit_goes(self, seed):
        for family, u, table, budget in cases(30, seed):
            r = quick(table, family, budget)
            a = r.allocation
            text = shown(words.sensitivity_text(r, u))
            assert f"raise the best total by {u.worth(a.lam)}" in text
            shares = [s for s in a.shares if s.status is al.Status.FUNDED]
            assert sum(s.amount_per_budget for s in shares) == pytest.approx(1.0, rel=1e-12)
            h = 1e-6 * min(budget, a.allowable_decrease, a.allowable_increase)
            up, down = resolve(table, family, budget + h), resolve(table, family, budget - h)
            for i, s in enumerate(a.shares):
                rate = (up.shares[i].amount - down.shares[i].amount) / (2 * h)
                assert rate == pytest.approx(s.amount_per_budget, rel=1e-4, abs=1e-7)
                if s.status is al.Status.FUNDED:
                    assert f"{percent(s.amount_per_budget, 0)} to {s.name}" in text
            assert ("would get none of it" in text) == (len(shares) < len(a.shares))

    def test_at_a_breakpoint_the_rates_are_said_to_hold_below_it(self):
        """At French's entry budget (9.606 h) the next hour is shared with French: the rates of the
        funded set are the left derivative, and the reading says so."""
        entry = report(STUDY, 12.0).allocation.shares[2].entry_budget
        r = report(STUDY, entry)
        assert r.allocation.allowable_increase == pytest.approx(0.0, abs=1e-12)
        text = shown(words.sensitivity_text(r, U_STUDY))
        assert "This budget is exactly where French starts to get some" in text
        assert "on the edge" in words.unfunded(r, U_STUDY)[0]

    @pytest.mark.parametrize("seed", [16, 17])
    def test_nothing_shown_is_nan_inf_or_minus_zero(self, seed):
        rng = np.random.default_rng(seed)
        extremes = [
            (al.Family.DIMINISHING, 1e-12, 1e12, 1e12),
            (al.Family.DIMINISHING, 1e12, 1e-12, 1e-12),
            (al.Family.LOG, 1e12, 1e-12, 1e12),
            (al.Family.LOG, 1e-12, 1e12, 1e-12),
        ]
        for family, p1, p2, budget in extremes:
            first, second = al.PARAMETERS[family]
            t = pd.DataFrame({"name": ["A", "B"], first: [p1, 1.0], second: [p2, 1.0]})
            u = U_STUDY if family is al.Family.DIMINISHING else U_ADS
            r = quick(t, family, budget, amounts=[budget / 2, budget / 2])
            for text in all_text(r, u):
                assert not NON_FINITE.search(shown(text)), text
        for family, u, table, budget in cases(20, seed):
            amounts = (rng.random(len(table)) * budget).tolist()
            for text in all_text(quick(table, family, budget, amounts=amounts), u):
                assert not NON_FINITE.search(shown(text)), text


# --- Inputs, messages, charts ----------------------------------------------------------------------


class TestReadSplit:
    NAMES3 = ("Maths", "History", "French")

    @pytest.mark.parametrize(
        ("text", "amounts"),
        [
            ("4:6:2", (4.0, 6.0, 2.0)),
            ("4, 6, 2", (4.0, 6.0, 2.0)),
            (" 1.5 ;0; .5 ", (1.5, 0.0, 0.5)),
            ("1e3:0:0", (1e3, 0, 0)),
        ],
    )
    def test_basic(self, text, amounts):
        assert words.read_split(text, self.NAMES3, U_STUDY) == (amounts, "")

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("4:6", "Your split has 2 amounts for 3 subjects (Maths, History and French)"),
            ("4:6:2:1", "has 4 amounts for 3 subjects"),
            ("-1:2:3", "amounts of zero or more, like 4:6:2; “\\-1” is not one"),
            ("nan:1:1", "“nan” is not one"),
            ("inf:1:1", "“inf” is not one"),
            ("1_000:1:1", "“1\\_000” is not one"),
            ("0:0:0", "adds up to 0 hours"),
            ("1e999:1:1", "adds up to more than 1,000,000,000,000 hours"),
            ("1e12:1e12:0", "adds up to more than"),
            ("9" * 300, "at most 200 are read"),
        ],
    )
    def test_messages(self, text, message):
        amounts, problem = words.read_split(text, self.NAMES3, U_STUDY)
        assert amounts is None
        assert message in problem

    def test_empty_is_no_split(self):
        assert words.read_split("", self.NAMES3, U_STUDY) == (None, "")
        assert words.read_split(None, self.NAMES3, U_STUDY) == (None, "")

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=80))
    def test_any_text(self, text):
        amounts, problem = words.read_split(text, ["a", "b"], U_ADS)
        if amounts is None:
            assert not LINK.search(problem)
            assert problem or not text.strip()
        else:
            assert problem == ""
            assert len(amounts) == 2
            assert all(math.isfinite(x) and x >= 0 for x in amounts)
            assert al.MIN_BUDGET <= sum(amounts) <= al.MAX_BUDGET


class TestTableProblem:
    @pytest.mark.parametrize(
        ("table", "shown_text"),
        [
            (
                {"name": ["A", "B"], "ceiling": [40, 30], "rate": [0.3, -0.2]},
                "Row 2 ('B'): rate must be positive, got −0.2",
            ),
            ({"name": ["A", "a"], "ceiling": [40, 30], "rate": [0.3, 0.2]}, "Rows 1 and 2 have the same name 'a'"),
            ({"name": ["A"], "ceiling": [40], "rate": [0.3]}, "The table has 1 activities; between 2 and 8"),
            ({"name": ["A", "B"], "ceiling": [40, -30], "rate": [0.3, -0.2]}, "not concave"),
            ({"name": ["A", "B"], "ceiling": [40, float("nan")], "rate": [0.3, 0.2]}, "ceiling is missing"),
            ({"name": ["A", "B"], "ceiling": [40, float("inf")], "rate": [0.3, 0.2]}, "got infinity"),
            ({"name": [f"r{i}" for i in range(500)], "ceiling": 1.0, "rate": 1.0}, "The table has 500 rows"),
        ],
    )
    def test_messages(self, table, shown_text):
        with pytest.raises(ValueError, match=r"\w") as info:
            al.validate_table(pd.DataFrame(table), "diminishing")
        text = shown(words.table_problem(info.value))
        assert text.startswith("**This table cannot be split.** ")
        assert shown_text in text
        assert text.endswith("Fix the table, or press Reset to defaults to start over.")
        assert not NON_FINITE.search(text.replace("got infinity", ""))

    def test_user_text_is_escaped(self):
        with pytest.raises(ValueError, match="ceiling must be positive") as info:
            al.validate_table(
                pd.DataFrame({"name": ["![](//x.org/a)", "B"], "ceiling": [-1, 1], "rate": [1, 1]}), "diminishing"
            )
        assert not LINK.search(words.table_problem(info.value))


def rules(spec) -> list[float]:
    """The y of every horizontal reference line (``rule_y``) in a chart spec, wherever the spec
    keeps it (inline values or a dataset)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if set(node) == {"rule"}:
                found.append(node["rule"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif hasattr(node, "to_pylist"):
            walk(node.to_pylist())

    walk(dict(spec))
    return found


class TestCharts:
    @pytest.mark.parametrize(("preset", "u"), [(STUDY, U_STUDY), (ADS, U_ADS)])
    def test_the_water_filling_picture(self, preset, u):
        r = report(preset, preset.budget)
        kwargs = words.marginal_chart(r, u)
        spec = charts.lines_chart(**kwargs)
        assert rules(spec) == [pytest.approx(r.allocation.lam, rel=1e-12)]
        dots = spec["datasets"]["points"].to_pandas()
        assert dots.name.tolist() == list(r.allocation.funded)
        for _, row in dots.iterrows():  # each dot is where the λ line crosses that curve
            act = next(a for a in r.activities if a.name == row["name"])
            assert marginal_of(act, row["amount"]) == pytest.approx(row["marginal"], rel=1e-9)

    @given(budget=st.floats(0.5, 60.0), ads=st.booleans())
    @settings(max_examples=60, deadline=None)
    def test_the_title_names_exactly_the_funded_activities(self, budget, ads):
        """/allocate?budget=8 said 'The line at 3.03 (one more hour) crosses each curve at its best
        amount', but French's curve starts at 2.50, below 3.03: it never crosses. The title names
        the funded activities (whose curves meet the line at their amounts) and the unfunded
        ones (whose first unit is worth less than λ) as staying below."""
        preset, u = (ADS, U_ADS) if ads else (STUDY, U_STUDY)
        budget = budget * (1000 if ads else 1)
        r = report(preset, budget)
        title = words.marginal_chart(r, u)["title"]
        a = r.allocation
        funded = [s for s in a.shares if s.status is al.Status.FUNDED]
        left_out = [s for s in a.shares if s.status is al.Status.UNFUNDED]
        for s in funded:  # the line really crosses a funded curve, at its amount
            act = next(x for x in r.activities if x.name == s.name)
            assert marginal_of(act, s.amount) == pytest.approx(a.lam, rel=1e-9)
        for s in left_out:  # and an unfunded curve really stays below it
            assert s.first_marginal <= a.lam * (1 + 1e-12)
        lam = words.sig(a.lam)
        if not left_out:
            assert title == f"The line at {lam} (one more {u.unit}) crosses each curve at its best amount"
            return
        crossed, below = re.fullmatch(
            rf"The line at {re.escape(lam)} crosses (.+) at (?:its|their) best amounts?; (.+) stays? below it", title
        ).groups()
        assert crossed == join([s.name for s in funded])
        assert below == join([s.name for s in left_out])

    @pytest.mark.parametrize(("preset", "u"), [(STUDY, U_STUDY), (ADS, U_ADS)])
    def test_titles_fit_on_a_phone(self, preset, u):
        """Axis titles over the plot are subtitles: one line each (a second line overlapped the plot)."""
        r = report(preset, preset.budget)
        lam, split, _ = words.budget_charts(r, u)
        for kw in (lam, split, words.marginal_chart(r, u)):
            assert len(kw["y_title"]) <= min(charts.TITLE_WRAP, 36)  # ui.charts may wrap at 40 soon
            assert len(kw["title"]) <= 2 * charts.TITLE_WRAP
            charts.lines_chart(**kw)  # builds

    def test_lambda_falls_with_the_budget(self):
        lam, _, now = words.budget_charts(report(STUDY, 12.0), U_STUDY)
        assert lam["data"]["lam"].is_monotonic_decreasing
        assert now == "now: 12.0 h"


def test_sig_keeps_three_significant_digits():
    rng = np.random.default_rng(0)
    for x in 10 ** rng.uniform(-3.9, 14.9, 2000) * rng.choice([-1, 1], 2000):
        text = words.sig(float(x))
        back = float(text.replace(",", "").replace("\u2212", "-"))
        assert back == pytest.approx(x, rel=5.1e-3)
