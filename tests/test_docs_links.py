"""Every relative link in the README and docs/ points at a file that exists (a page renamed or a
doc not yet written shows up here, not as a 404 on GitHub)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", ROOT / "SECURITY.md", *(ROOT / "docs").rglob("*.md")])
LINK = re.compile(r"\]\(([^)\s]+)\)")


def relative_links(path: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)  # code is not a link
    text = re.sub(r"`[^`]*`", "", text)
    return [t.split("#")[0] for t in LINK.findall(text) if not re.match(r"[a-z]+:|#", t) and t.split("#")[0]]


def test_the_docs_have_links():
    assert len(DOCS) > 15
    assert "docs/pages/pricing.md" in relative_links(ROOT / "README.md")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(doc):
    missing = [t for t in relative_links(doc) if not (doc.parent / t).exists()]
    assert missing == []
