"""Rewrite the golden seed memo: ``make golden`` (python -m tests.golden).

Run it after an intended change to rules, selection or template, then read
the diff before committing it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from briefer.brief import build_brief
from briefer.render.markdown import render_markdown

from .helpers import make_settings

GOLDEN = Path(__file__).resolve().parent / "golden" / "seed-briefing.md"


def seed_markdown() -> str:
    """The Markdown memo of the bundled seeds at the fixed golden edition time."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(Path(tmp))
        return render_markdown(build_brief(settings), settings.templates_dir)


if __name__ == "__main__":
    GOLDEN.write_text(seed_markdown(), encoding="utf-8")
    print(f"wrote {GOLDEN}")
