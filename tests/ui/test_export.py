"""The CSV builder behind every download button."""

import io

import numpy as np
import pandas as pd

from optimizers import pricing as pr
from ui.export import markdown_table, table_to_csv


class TestTableToCsv:
    def test_basic(self):
        table = pr.analyse(pr.linear_demand(1300, 10), 20, 50).table
        data = table_to_csv(table)
        assert data.startswith(b"price,customers,revenue,cost,profit,marginal_profit,note\n")
        back = pd.read_csv(io.BytesIO(data), keep_default_na=False)
        assert back.shape == table.shape
        best = back.loc[back.profit.idxmax()]
        assert (best.price, best.profit, best.note) == (75.0, 30250.0, "optimal price")

    def test_rounding_noise_is_removed(self):
        data = table_to_csv(pd.DataFrame({"x": [0.1 + 0.2, 74.99999999999999]}))
        assert data == b"x\n0.3\n75.0\n"

    def test_special_cases(self):
        assert table_to_csv(pd.DataFrame({"a": []})) == b"a\n"
        text = table_to_csv(pd.DataFrame({"x": [np.nan, 1.0], "note": ["a,b", 'say "hi"']})).decode()
        assert text == 'x,note\n,"a,b"\n1.0,"say ""hi"""\n'


class TestMarkdownTable:
    def test_basic(self):
        table = pd.DataFrame({"years": [5, 10], "5%": [12840.254, 16487.2127]})
        text = markdown_table(table, {"5%": "${:,.0f}".format})
        assert text.splitlines() == [
            "| years | 5\\% |",
            "| ---: | ---: |",
            "| 5 | \\$12\\,840 |",
            "| 10 | \\$16\\,487 |",
        ]

    def test_cells_are_shown_literally(self):
        text = markdown_table(pd.DataFrame({"name": ["![](//x.org/a) | b"]}))
        assert "![" not in text
        assert "\\|" in text


class TestCsvBytes:
    """Download buttons get a callable: the bytes are made on click, the same bytes."""

    def test_basic(self):
        from ui.export import csv_bytes

        table = pr.analyse(pr.linear_demand(1300, 10), 20, 50).table
        assert csv_bytes(table)() == table_to_csv(table)
        assert csv_bytes(lambda: table)() == table_to_csv(table)
        assert csv_bytes(table_to_csv(table))() == table_to_csv(table)
        assert csv_bytes(lambda: b"a\n1\n")() == b"a\n1\n"

    def test_nothing_is_built_until_called(self):
        from ui.export import csv_bytes

        calls = []
        make = csv_bytes(lambda: calls.append(1) or pd.DataFrame({"x": [1.0]}))
        assert calls == []
        assert make() == b"x\n1.0\n"
        assert calls == [1]

    def test_input_validation(self):
        import pytest

        from ui.export import csv_bytes

        with pytest.raises(ValueError, match="list"):
            csv_bytes([1, 2, 3])
