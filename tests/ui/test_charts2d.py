"""ui.charts2d: the spec is built once per shape and only the data change; theme colours only;
the heat map's raster (bands of the bilinear values, gaps where f is undefined); the arrows,
points, curve and path datasets."""

import base64
import dataclasses
import json
import math
import struct
import zlib

import numpy as np
import pandas as pd
import pytest

from optimizers import multivariate as mv
from optimizers import surface as sf
from ui import charts2d as c2

#: Streamlit's chart theme maps these names (and only in encoding.color values and colour-scale ranges).
THEME = {"red", "orange", "yellow", "green", "blue", "violet", "gray", "grey", "primary"}


@pytest.fixture(scope="module")
def stewart():
    return sf.analyse(certificate=False)


def _spec(r, **kw):
    return c2.surface_map(
        r.grid, x_title="x", y_title="y", value_title="f(x, y)", points=r.table(), field=r.field, **kw
    )


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


class TestShape:
    def test_built_once_per_shape(self, stewart):
        c2._spec.cache_clear()
        first = _spec(stewart)
        other = sf.analyse("x^2 + 3y^2 - xy", -1, 2, -1, 2, "min", certificate=False)
        second = _spec(other)  # a minimum alone: another legend, another shape
        assert c2._spec.cache_info().misses == 2
        third = _spec(dataclasses.replace(stewart, grid=other.grid))  # new data, the first shape
        assert c2._spec.cache_info().hits == 1
        assert third["layer"] is first["layer"]  # the cached spec, with new data
        assert third["datasets"]["box"] is not first["datasets"]["box"]
        assert second["layer"] is not first["layer"]

    def test_layers_follow_the_data(self, stewart):
        plain = c2.surface_map(stewart.grid, x_title="x", y_title="y", value_title="f")
        names = [layer["data"]["name"] for layer in plain["layer"]]
        assert names == ["box", "shade", "box", "marks", "marks"]  # image, legend, veil, marks
        full = _spec(stewart, curve=pd.DataFrame({"x": [0.0], "y": [0.0], "x2": [1.0], "y2": [1.0]}),
                     path=pd.DataFrame({"step": [0], "x": [0.0], "y": [0.0], "value": [1.0]}))  # fmt: skip
        names = [layer["data"]["name"] for layer in full["layer"]]
        assert names == ["box", "shade", "box", "field", "curve", "path", "points", "marks", "marks"]
        assert sorted(full["datasets"]) == sorted(c2.DATASETS)

    def test_colours_are_theme_names(self, stewart):
        spec = _spec(stewart, marks=[c2.Mark(1, 1, "optimum", "min"), c2.Mark(0, 0, "start", "start")])
        colors = []
        for node in _walk(spec):
            color = node.get("color")
            if isinstance(color, dict) and "value" in color:
                colors.append(color["value"])
            if isinstance(color, dict) and "range" in color.get("scale", {}):
                colors += color["scale"]["range"]
            mark = node.get("mark")
            if isinstance(mark, dict):
                assert "color" not in mark  # a mark property is not themed: drawn as the CSS colour
                assert mark.get("fill") in (None, {"expr": "background"})
        assert colors
        assert set(colors) <= THEME
        text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
        assert "#" not in text  # no hex colour anywhere

    def test_svg_and_sizes(self, stewart):
        spec = _spec(stewart)
        assert spec["usermeta"] == {"embedOptions": {"renderer": "svg"}}
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
        assert spec["height"] == c2.HEIGHT
        kinds = next(layer for layer in spec["layer"] if layer["data"]["name"] == "points")
        assert kinds["encoding"]["color"]["legend"]["orient"] == "top"  # never beside the colour legend
        assert spec["layer"][0]["mark"] == {"type": "image", "aspect": False}
        heat = next(layer for layer in spec["layer"] if layer["data"]["name"] == "shade")["encoding"]["color"]
        assert heat["legend"]["orient"] == "bottom"
        assert heat["scale"]["type"] == "quantize"

    def test_long_titles_wrap(self):
        assert c2._wrap("Weekly profit over price and ad spend, and the climb") == [
            "Weekly profit over price and ad",
            "spend, and the climb",
        ]


class TestData:
    def test_the_heat_map_is_one_image_of_the_box(self, stewart):
        box = _spec(stewart)["datasets"]["box"].to_pylist()
        assert len(box) == 1
        (row,) = box
        assert (row["x0"], row["x1"], row["y0"], row["y1"]) == (-2.0, 2.0, -2.0, 2.0)
        pixels = _pixels(row["url"])
        side = c2.UPSAMPLE * (sf.GRID_SIDE - 1)
        assert pixels.shape == (side, side, 4)
        colours = c2.band_colours()
        # f = 49 at the corners (−2, 2) (top left) and (2, −2): the top band; about −1 at (±1, ±1)
        assert pixels[0, 0, :3].tolist() == colours[-1].tolist()
        assert pixels[-1, -1, :3].tolist() == colours[-1].tolist()
        assert pixels[side // 4, -side // 4, :3].tolist() == colours[0].tolist()  # (1, 1), top right quarter
        assert (pixels[..., 3] == 255).all()

    def test_bands_are_the_quantized_bilinear_values(self):
        """A plane: its bands are straight strips of equal width, in the scheme's order."""
        grid = mv.grid(lambda x, y: x + 0 * y, (0, 10, 0, 1), 11)
        spec = c2.surface_map(grid, x_title="x", y_title="y", value_title="f")
        pixels = _pixels(spec["datasets"]["box"]["url"][0].as_py())
        top = pixels[0, :, :3]
        colours = [tuple(c) for c in c2.band_colours()]
        bands = [colours.index(tuple(p)) for p in top]
        assert bands == sorted(bands)
        assert [bands.count(b) for b in range(c2.BANDS)] == [4] * c2.BANDS  # 40 pixels, 10 bands
        assert spec["datasets"]["shade"]["shade"].to_pylist() == [0.0, 10.0]  # the legend's extent

    def test_undefined_values_are_gaps(self):
        grid = mv.grid(lambda x, y: np.log(x) + y, (-1, 1, -1, 1), 5)
        spec = c2.surface_map(grid, x_title="x", y_title="y", value_title="f")
        alpha = _pixels(spec["datasets"]["box"]["url"][0].as_py())[..., 3]
        assert (alpha[:, :8] == 0).all()  # x from −1 to 0 (and the cell beside it) is undefined
        assert (alpha[:, -4:] == 255).all()
        assert spec["datasets"]["shade"]["shade"].to_pylist() == pytest.approx([math.log(0.5) - 1, 1.0])

    def test_shade_range(self, stewart):
        shade = _spec(stewart, shade_range=(0.0, 10.0))["datasets"]["shade"]
        assert shade["shade"].to_pylist() == [0.0, 10.0]

    def test_arrows_are_unit_directions(self, stewart):
        field = _spec(stewart)["datasets"]["field"].to_pandas()
        assert np.allclose(np.hypot(field.u, field.v), 1.0)
        # at (2, 0): ∇f = (4·8 − 0, 0 − 8) = (32, −8), in a square box: the same direction
        at = field[(field.x == 2.0) & (field.y == 0.0)].iloc[0]
        assert math.atan2(at.v, at.u) == pytest.approx(math.atan2(-8, 32), rel=1e-12)
        # no arrow where ∇f = 0 (the saddle at the origin is a sample of the 15 x 15 grid)
        assert not ((field.x == 0.0) & (field.y == 0.0)).any()

    def test_arrows_follow_the_box_scaling(self):
        field = pd.DataFrame({"x": [0.0], "y": [0.0], "dx": [1.0], "dy": [1.0]})
        grid = mv.grid(lambda x, y: x + y, (0, 10, 0, 1), 3)
        arrows = c2.surface_map(grid, x_title="x", y_title="y", value_title="f", field=field)["datasets"]["field"]
        u, v = arrows["u"][0].as_py(), arrows["v"][0].as_py()
        assert (u, v) == pytest.approx((10 / math.hypot(10, 1), 1 / math.hypot(10, 1)))

    def test_points_and_marks(self, stewart):
        spec = _spec(stewart, marks=[c2.Mark(1.0, 1.0, "optimum", "min"), c2.Mark(math.nan, 0, "start", "x")])
        points = spec["datasets"]["points"].to_pylist()
        assert {p["kind"] for p in points} == {"minimum", "saddle"}
        assert spec["datasets"]["marks"].to_pylist() == [{"x": 1.0, "y": 1.0, "role": "optimum", "label": "min"}]
        layer = next(layer for layer in spec["layer"] if layer["data"]["name"] == "points")
        assert layer["encoding"]["shape"]["scale"]["range"] == ["triangle-down", "cross"]


def _pixels(url: str) -> np.ndarray:
    """Decode the 8-bit RGBA, unfiltered PNG the module writes (h × w × 4)."""
    data = base64.b64decode(url.split(",", 1)[1])
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        tag = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(tag + body)
        chunks[tag] = chunks.get(tag, b"") + body
        pos += 12 + length
    w, h, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 6)
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8).reshape(h, 1 + 4 * w)
    assert (raw[:, 0] == 0).all()  # no filter
    return raw[:, 1:].reshape(h, w, 4)
