"""Reading uploaded CSVs: every failure is a ValueError with a message, never a crash."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers import pricing as pr
from optimizers.tables import MAX_UPLOAD_BYTES, numeric_columns, read_csv_bytes


class TestReadCsvBytes:
    def test_basic(self):
        df = read_csv_bytes(b"Price, Units\n50,800\n60,700\n")
        assert list(df.columns) == ["price", "units"]
        assert df.price.tolist() == [50, 60]

    def test_semicolons_and_bom(self):
        df = read_csv_bytes("\ufeffprice;units\n50;800\n60;700\n".encode())
        assert df.units.tolist() == [800, 700]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "empty"),
            (b"   \n  ", "empty"),
            (b"\xff\xfe\x00\x01binary", "not UTF-8"),
            (b"price,units\n1,\x002\n", "binary"),
            (b'price,units\n"50,800\n', "Could not read"),
        ],
    )
    def test_input_validation(self, data, message):
        with pytest.raises(ValueError, match=message):
            read_csv_bytes(data)

    def test_size_limit(self):
        big = b"price,units\n" + b"50,800\n" * (MAX_UPLOAD_BYTES // 7 + 1)
        with pytest.raises(ValueError, match=r"limit is 5 MB"):
            read_csv_bytes(big)

    @settings(max_examples=300, deadline=None)
    @given(st.binary(max_size=400))
    def test_any_bytes_give_a_table_or_a_message(self, data):
        message = ""
        try:
            df = read_csv_bytes(data)
        except ValueError as exc:
            message = str(exc)
        if message:
            assert len(message) > 5
        else:
            assert isinstance(df, pd.DataFrame)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=8))
    def test_any_text_table_fits_or_explains(self, rows):
        """Whatever a user uploads, the pricing fit answers or says what is wrong."""
        text = "price,units\n" + "\n".join(f'"{a}","{b}"' for a, b in rows if '"' not in a + b)
        message = ""
        try:
            fits = pr.fit_sales(read_csv_bytes(text.encode()))
        except ValueError as exc:
            message = str(exc)
        if message:
            assert len(message) > 5
        else:
            assert fits.linear is not None or fits.linear_error


class TestNumericColumns:
    def test_currency_and_thousands(self):
        df = pd.DataFrame({"price": ["$50", " 1,200 "], "units": [1, 2]})
        out = numeric_columns(df, {"price": "price", "units": "units"}, min_rows=2)
        assert out["price"].tolist() == [50.0, 1200.0]

    def test_input_validation(self):
        with pytest.raises(ValueError, match=r"Row 1: units must be a number, got True"):
            numeric_columns(pd.DataFrame({"units": [True]}), {"units": "units"}, min_rows=1)
        with pytest.raises(TypeError, match="expected a pandas DataFrame"):
            numeric_columns([1, 2], {"units": "units"}, min_rows=1)
