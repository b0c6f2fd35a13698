"""The data-editor guard: edit states from the browser are checked before Streamlit applies them."""

import pytest

from optimizers.tables import MAX_ROWS
from ui.components import _editor_problem

COLS = ("price", "units")


@pytest.mark.parametrize(
    ("state", "problem"),
    [
        (None, ""),
        ({"edited_rows": {"0": {"units": 5}}, "added_rows": [{"price": 1, "units": 2}], "deleted_rows": [1]}, ""),
        ({"added_rows": [{"price": 1.0}] * (MAX_ROWS + 1)}, "at most"),
        ({"added_rows": [{"price": 1, "evil": 2}]}, "columns the table does not have"),
        ({"added_rows": ["not a row"]}, "columns the table does not have"),
        ({"edited_rows": {"99999": {"units": 1}}}, "outside the table"),
        ({"edited_rows": {"-1": {"units": 1}}}, "outside the table"),
        ({"edited_rows": {"0": {"evil": 1}}}, "outside the table"),
        ({"deleted_rows": [7]}, "deleted row"),
        ({"deleted_rows": "all"}, "not understood"),
    ],
)
def test_editor_states(state, problem):
    found = _editor_problem(state, 3, COLS)
    assert (problem in found) if problem else found == ""
