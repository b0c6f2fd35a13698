"""Inputs bound to the URL (AppTest): the typed entry beside each slider, and the line that says
what happened to a link value that was not used as given (issue 19, item 9)."""

import re

import pytest
from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from ui import inputs

cost = inputs.slider("Unit cost ($)", "unit_cost", 0.0, 100.0, 20.0, 1.0, fmt="$%.0f")
width = inputs.int_slider("Hidden width", "hidden", 4, 128, 32, 4)
plain = inputs.slider("No entry", "plain", 0.0, 1.0, 0.5, 0.1, typed=False)
model = inputs.select("Model", "model", ["linear", "data"], "linear")
rates = inputs.text("Rates", "rates", "5, 7, 10", max_chars=10)
st.write(f"values {cost!r} {width!r} {plain!r} {model}")
"""


def run(**params: str) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def captions(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]


def values(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("values"))


def typing(at: AppTest) -> AppTest:
    """Turn on *Type exact values*."""
    at.toggle(key="typed_values").set_value(True).run()
    assert not at.exception
    return at


class TestTypedEntry:
    def test_the_toggle_shows_one_beside_every_slider(self):
        at = run()
        assert [t.label for t in at.toggle] == ["Type exact values"]  # one, above the first slider
        assert list(at.number_input) == []  # off: the sliders cost what they did
        typing(at)
        assert [n.key for n in at.number_input] == ["typed_unit_cost", "typed_hidden"]  # not the typed=False one
        assert at.number_input(key="typed_unit_cost").value == 20.0
        assert at.number_input(key="typed_hidden").value == 32
        assert at.number_input(key="typed_unit_cost").label == "Unit cost ($): type an exact value"

    def test_a_typed_value_moves_the_slider(self):
        at = typing(run())
        at.number_input(key="typed_unit_cost").set_value(23.49).run()
        assert at.slider(key="unit_cost").value == 23.49  # between the slider's $1 steps
        assert at.slider(key="unit_cost").proto.format == "$%.2f"  # and its label says so
        assert at.slider(key="hidden").proto.format == "%d"  # whole numbers stay whole
        assert values(at).startswith("values 23.49 32")
        at.number_input(key="typed_hidden").set_value(33).run()
        assert at.slider(key="hidden").value == 33
        assert at.number_input(key="typed_hidden").value == 33

    def test_a_slider_move_shows_in_the_entry(self):
        at = typing(run())
        at.slider(key="unit_cost").set_value(42.0).run()
        assert at.number_input(key="typed_unit_cost").value == 42.0
        assert at.slider(key="unit_cost").proto.format == "$%.0f"

    def test_a_link_value_between_steps_shows_in_both(self):
        at = run(unit_cost="23.49")
        assert at.slider(key="unit_cost").value == 23.49
        assert [n.key for n in at.number_input] == ["typed_unit_cost"]  # without the toggle
        assert at.number_input(key="typed_unit_cost").value == 23.49
        assert captions(at) == []
        # back on the slider's steps, the entry stays where it is (the slider is not re-mounted)
        at.slider(key="unit_cost").set_value(24.0).run()
        assert [n.key for n in at.number_input] == ["typed_unit_cost"]
        assert at.number_input(key="typed_unit_cost").value == 24.0


class TestLinkNotes:
    @pytest.mark.parametrize(
        ("params", "line"),
        [
            ({"unit_cost": "abc"}, "From the link: unit_cost=“abc” is not a number; the default $20 is used."),
            ({"unit_cost": "500"}, "From the link: unit_cost=“500” is outside $0 to $100; the default $20 is used."),
            ({"unit_cost": "inf"}, "From the link: unit_cost=“inf” is not a finite number; the default $20 is used."),
            ({"hidden": "33.5"}, "From the link: hidden=“33.5” is not a whole number; the default 32 is used."),
            (
                {"model": "quadratic"},
                "From the link: model=“quadratic” is not one of linear, data; the default linear is used.",
            ),
            (
                {"rates": "1, 2, 3, 4, 5, 6, 7"},
                (
                    "From the link: rates=“1, 2, 3, 4, 5, 6, 7” is longer than 10 characters; the default “5, 7, 10” "
                    "is used."
                ),
            ),
        ],
    )
    def test_an_ignored_value_is_said(self, params, line):
        at = run(**params)
        assert captions(at) == [line]
        assert values(at) == "values 20.0 32 0.5 linear"  # and the default is what is used

    def test_good_values_say_nothing(self):
        at = run(unit_cost="30", hidden="64", model="data", rates="5, 6")
        assert captions(at) == []
        assert values(at) == "values 30.0 64 0.5 data"

    def test_the_line_goes_with_the_next_change(self):
        at = run(unit_cost="abc")
        assert captions(at)
        at.slider(key="hidden").set_value(40).run()
        assert captions(at) == []

    def test_a_typed_prefix_in_the_link_is_no_input(self):
        at = run(typed_unit_cost="50", typed_values="true")
        assert at.slider(key="unit_cost").value == 20.0
        assert not at.toggle(key="typed_values").value


def test_a_repeated_key_keeps_its_last_value():
    """``?unit_cost=25&unit_cost=30``: Streamlit would read a two-thumb range; the last one is used."""
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.query_params["unit_cost"] = ["25", "30"]
    at.run()
    assert not at.exception
    assert at.slider(key="unit_cost").value == 30.0
    assert captions(at) == ["From the link: unit_cost is given 2 times; the last one, “30”, is used."]
