"""Words every page shares: the second-derivative test, link values, the share line."""

import re

import pytest

from explain import common as words
from explain.common import LinkProblem
from optimizers.calculus import optimize
from ui import components


def shown(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


class TestSecondDerivativeSentence:
    def test_maximum(self):
        opt = optimize(lambda p: (p - 20) * (1300 - 10 * p), 0, 130)
        assert words.second_derivative_sentence(opt, "price", lambda v: f"${v:.2f}") == (
            "Second-derivative test: f″ = −20 < 0 at price = $75.00. The curve bends down, so this is a **maximum**."
        )

    def test_minimum_boundary_and_flat(self):
        assert "f″ = 2 > 0 at x = 3" in words.second_derivative_sentence(
            optimize(lambda x: (x - 3) ** 2, 0, 10, "min"), "x", "{:g}".format
        )
        edge = optimize(lambda x: x, 0, 10, "max")
        assert words.second_derivative_sentence(edge, "x", "{:g}".format).startswith(
            "The best x is on the edge of the allowed range (10): the slope there is 1, not zero"
        )
        flat = optimize(lambda x: 0 * x + 1, 0, 10, "max")
        assert words.second_derivative_sentence(flat, "x", str) == (
            "The objective is flat here: every choice gives the same value."
        )

    def test_the_old_name_delegates(self):
        """Pages still call ui.components.second_derivative_sentence while they move to explain."""
        opt = optimize(lambda p: (p - 20) * (1300 - 10 * p), 0, 130)
        fmt = "${:.2f}".format
        assert components.second_derivative_sentence(opt, "price", fmt) == words.second_derivative_sentence(
            opt, "price", fmt
        )


class TestLinkNote:
    def test_not_a_number(self):
        text = words.link_note("unit_cost", "abc", LinkProblem.NOT_A_NUMBER, words.printf(20.0, "$%.0f"))
        assert shown(text) == "From the link: unit_cost=“abc” is not a number; the default $20 is used."

    @pytest.mark.parametrize(
        ("problem", "kw", "middle"),
        [
            (LinkProblem.NOT_FINITE, {}, "is not a finite number"),
            (LinkProblem.OUT_OF_RANGE, {"low": "$0", "high": "$100"}, "is outside $0 to $100"),
            (LinkProblem.NOT_WHOLE, {}, "is not a whole number"),
            (LinkProblem.NOT_AN_OPTION, {"options": ["a", "b"]}, "is not one of a, b"),
        ],
    )
    def test_problems(self, problem, kw, middle):
        text = shown(words.link_note("k", "v", problem, "$20", **kw))
        assert text == f"From the link: k=“v” {middle}; the default $20 is used."

    def test_repeated_and_too_long(self):
        assert shown(words.link_note("price", "60", LinkProblem.REPEATED, "", times=3)) == (
            "From the link: price is given 3 times; the last one, “60”, is used."
        )
        text = shown(words.link_note("rates", "9" * 500, LinkProblem.TOO_LONG, "5, 7, 10", max_chars=60))
        assert (
            text == f"From the link: rates=“{'9' * 20}…” is longer than 60 characters; the default “5, 7, 10” is used."
        )

    def test_visitor_text_is_literal(self):
        text = words.link_note("k", "![](//example.org/x) $x$", LinkProblem.NOT_A_NUMBER, "1")
        assert "](" not in text.replace("\\]\\(", "")
        assert "\\$" in text
        assert "$x$" not in text

    def test_printf(self):
        assert words.printf(20.0, "$%.0f") == "$20"
        assert words.printf(-2.5, "%.1f×") == "−2.5×"
        assert words.printf(7, None) == "7"
        assert words.printf(1.0, "%s %s") == "1"  # a format that does not apply falls back


def test_share_sentence():
    assert words.share_sentence(["", ""]) == "Share this scenario: this link reproduces exactly what you see."
    assert words.share_sentence(["a", "b"]).endswith("except that a; b.")


class TestPhoneTable:
    """explain.common.phone_table: the tables drawn as markdown on Custom and the lab."""

    def test_basic(self):
        from explain.common import phone_table, share_cell

        text = phone_table(
            ["x", "kind; decided by"], ["right", "left"], [["5", share_cell("min", "second-derivative")]]
        )
        assert text.splitlines() == ["| x | kind; decided by |", "| ---: | :--- |", "| 5 | min; second-derivative |"]

    def test_input_validation(self):
        from explain.common import PHONE_COLUMNS, phone_table

        with pytest.raises(ValueError, match="at most 4 columns, got 5"):
            phone_table(list("abcde"), ["right"] * 5, [])
        with pytest.raises(ValueError, match="one entry per column, got 1 for 2"):
            phone_table(["a", "b"], ["right"], [])
        assert PHONE_COLUMNS == 4

    def test_the_pages_tables_fit(self):
        """Every markdown table the tester saw past a 390 px phone's edge now has at most
        PHONE_COLUMNS columns (the browser test measures the edges)."""
        from explain import custom, lab
        from explain.common import PHONE_COLUMNS
        from optimizers.custom import analyse_function
        from optimizers.difflab import sigmoid_table

        for text in (
            custom.points_markdown(analyse_function("sin(x)/x", -10, 10, "max")),
            lab.sigmoid_markdown(sigmoid_table()),
        ):
            assert text.splitlines()[0].count("|") - 1 <= PHONE_COLUMNS
