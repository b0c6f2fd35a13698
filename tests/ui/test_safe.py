"""User text in markdown: every punctuation character escaped, so nothing renders as markup."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.safe import plain

HOSTILE = [
    "![](//example.org/x)",
    "[Log in](//example.org)",
    "<img src=x onerror=alert(1)>",
    ":red[alarm] :material/warning:",
    "$$\\frac{1}{0}$$",
    "https://example.org www.example.org",
    "**bold** _it_ `code` # heading",
    "&lt;b&gt;",
]


PUNCT = re.compile(r"[!-/:-@\[-`{-~]")


def all_escaped(out: str) -> bool:
    """Every ASCII punctuation character is the second half of a backslash escape."""
    i = 0
    while i < len(out):
        if out[i] == "\\":
            if i + 1 >= len(out) or not PUNCT.match(out[i + 1]):
                return False
            i += 2
        elif PUNCT.match(out[i]):
            return False
        else:
            i += 1
    return True


@pytest.mark.parametrize("text", HOSTILE)
def test_markup_characters_are_escaped(text):
    out = plain(text)
    assert all_escaped(out), out
    assert not all_escaped(text)  # the check itself can fail
    assert re.sub(r"\\(.)", r"\1", out) == text


@given(st.text(max_size=300))
def test_unescaping_gives_back_the_text_on_one_line(text):
    out = plain(text, max_chars=None)
    assert "\n" not in out
    assert re.sub(r"\\(.)", r"\1", out) == " ".join(text.split())


def test_length_is_bounded():
    assert plain("x" * 10_000, max_chars=50) == "x" * 50 + "…"
