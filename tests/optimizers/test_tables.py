"""Reading uploaded CSVs: every failure is a ValueError with a message, never a crash."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers import pricing as pr
from optimizers.tables import MAX_UPLOAD_BYTES, decode_table, encode_table, numeric_columns, read_csv_bytes


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
            assert fits.linear is not None or fits.linear_failure is not None


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


class TestLimits:
    def test_wide_header_is_refused(self):
        data = (",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000)).encode()
        with pytest.raises(ValueError, match="100,000 columns; at most 50"):
            read_csv_bytes(data)

    @pytest.mark.load
    def test_wide_header_is_refused_before_parsing(self):
        import time

        data = (",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000)).encode()
        t = time.perf_counter()
        with pytest.raises(ValueError, match="100,000 columns; at most 50"):
            read_csv_bytes(data)
        assert time.perf_counter() - t < 0.5

    def test_missing_columns_name_only_a_few(self):
        df = pd.DataFrame({f"c{i}": [1] for i in range(1000)})
        with pytest.raises(ValueError, match=r"found 'c0', 'c1', 'c2', 'c3', 'c4' and 995 more\.$"):
            numeric_columns(df, {"price": "price"}, min_rows=1)

    def test_too_many_rows(self):
        with pytest.raises(ValueError, match="501 rows; at most 500"):
            read_csv_bytes(b"price,units\n" + b"50,800\n" * 501)


class TestLinkTables:
    def test_round_trip(self):
        df = pd.DataFrame({"price": [40.0, 50.5, 60.0], "units": [900.0, 812.25, 700.0]})
        text = encode_table(df, ("price", "units"))
        assert text == "40:900,50.5:812.25,60:700"
        assert decode_table(text, ("price", "units")).equals(df)

    def test_what_a_link_cannot_carry(self):
        assert encode_table(pd.DataFrame({"price": ["abc"], "units": [1]}), ("price", "units")) is None
        assert encode_table(pd.DataFrame({"price": [1.0] * 49, "units": [1.0] * 49}), ("price", "units")) is None
        assert encode_table(pd.DataFrame({"price": [1.0]}), ("price", "units")) is None

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("1:2:3", "3 cells, not 2"),
            ("1:abc", "'abc', not a number"),
            ("1:inf", "not a number"),
            ("1:2," * 60, "at most 48"),
            ("9" * 2000, "at most 1,500"),
        ],
    )
    def test_bad_link_text(self, text, message):
        with pytest.raises(ValueError, match=message):
            decode_table(text, ("price", "units"))
