"""Every page, every URL parameter, hostile values: no traceback, no nan/inf/−0, no markup.

The parameters of each page are discovered by opening it at its defaults and reading the
keys of its input widgets (every keyed input is bound to the URL), so a new page or a new
input is covered without editing this file.
"""

from __future__ import annotations

import re

import pytest

from tests.pages.conftest import ROOT, open_page
from ui import pages

PAGES = sorted(p.path for p in (pages.HOME, *pages.PAGES))
INPUT_TYPES = {
    "slider",
    "select_slider",
    "number_input",
    "text_input",
    "text_area",
    "selectbox",
    "segmented_control",
    "toggle",
    "checkbox",
    "radio",
}
HOSTILE = {
    "empty": "",
    "nan": "nan",
    "NaN": "NaN",
    "inf": "inf",
    "minus_inf": "-inf",
    "overflow": "1e309",
    "minus_zero": "-0",
    "subnormal": "1e-320",  # a relative finite-difference step underflowed to 0 (a pricing crash)
    "huge_text": "9" * 10_000,
    "unicode": "ü∑ß漢字🙂\u202e\u0000",
    "image_md": "![](//example.org/x)",
    "link_md": "[Log in](//example.org)",
    "html": "<img src=x onerror=alert(1)>",
    "directive": ":red[alarm] :material/warning:",
    "math": "$\\frac{1}{0}$",
}
# What must never be seen: a bare nan/inf, or a negative zero such as "−0.00".
NON_FINITE = re.compile(r"(?<![\w.])(?:nan|NaN|inf|Infinity)(?![\w])|(?<![\w.\d])[−-]0(?:\.0+)?(?![\d.])")
# Markdown that would render an image or a link: an unescaped "](".
LINK = re.compile(r"(?<!\\)\]\((?!\\)")
TEXT_TYPES = {"markdown", "caption", "alert", "error", "warning", "info", "success", "title", "header", "subheader"}


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _inputs(page: str) -> list[str]:
    at = open_page(page)
    keys = []
    for el in _walk(at._tree):
        key = getattr(el, "key", None)
        if el.type in INPUT_TYPES and key and not key.startswith(("preset_", "reset_")):
            keys.append(key)
    return sorted(set(keys))


PARAMS = {page: _inputs(page) for page in PAGES}


def _visible_text(at) -> list[str]:
    out = []
    for el in _walk(at._tree):
        if el.type in TEXT_TYPES or el.type.endswith(("alert", "error", "warning", "info")):
            out.append(str(getattr(el, "value", "") or getattr(el, "body", "")))
        if el.type == "metric":
            out += [str(el.label), str(el.value)]
    return out


def _unquoted(markdown: str) -> str:
    """The text a reader sees, without what the page quotes back from the user ('…', “…”)."""
    seen = re.sub(r"\\(.)", r"\1", markdown)
    return re.sub(r"'[^']*'|“[^”]*”", "", seen)


def _check(at, where: str) -> None:
    assert not at.exception, f"{where}: {[e.value for e in at.exception]}"
    for text in _visible_text(at):
        found = NON_FINITE.search(_unquoted(text))
        assert not found, f"{where}: shows {found.group()!r} in {text[:200]!r}"
        assert not LINK.search(text), f"{where}: renders markdown link/image syntax in {text[:200]!r}"


def test_every_page_has_inputs():
    assert len(PAGES) >= 9  # the registry really was read (an empty list made this pass before)
    assert all(PARAMS[p] for p in PAGES if p != "home"), PARAMS


@pytest.mark.parametrize("label", list(HOSTILE))
@pytest.mark.parametrize("page", PAGES)
def test_all_parameters_at_once(page, label):
    """Every input of the page gets the same hostile value in one link."""
    value = HOSTILE[label]
    at = _open(page, dict.fromkeys(PARAMS[page], value))
    _check(at, f"/{page} with every parameter = {label}")


@pytest.mark.parametrize(("page", "key"), [(page, key) for page in PAGES for key in PARAMS[page]], ids=lambda v: str(v))
def test_each_parameter_alone(page, key):
    """One hostile value at a time, so an error on one input cannot hide another."""
    for label in ("empty", "overflow", "minus_zero", "image_md"):
        at = _open(page, {key: HOSTILE[label]})
        _check(at, f"/{page}?{key}=<{label}>")


def _open(page: str, params: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(f"app_pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()
