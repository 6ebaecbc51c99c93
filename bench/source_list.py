"""Time the Word source list: ``render.docx._sources`` at 40, 400 and 4,000 entries.

A memo lists only cited sources, at most ``stories.max_citations`` per
bullet, so a real list holds tens of entries (24-75 for 10,000 articles in
``bench/speed.py``'s corpora); the larger sizes show that the cost grows
linearly. Run from the project root::

    .venv/bin/python bench/source_list.py
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402

from briefer.models import Source  # noqa: E402
from briefer.render import docx as render_docx  # noqa: E402


class _Brief:
    def __init__(self, sources: tuple[Source, ...]) -> None:
        self.sources = sources


def main() -> None:
    reference = ROOT / "templates" / "reference.docx"
    print("| entries | time | per entry |\n|---:|---:|---:|")
    for size in (40, 400, 4000):
        sources = tuple(
            Source(n + 1, f"k{n}", f"Title number {n} of the day", f"Publisher {n % 7}",
                   date(2026, 1, 5), f"https://news.example/{n}",
                   ("Reuters",) if n % 3 == 0 else ())
            for n in range(size)
        )  # fmt: skip
        doc = Document(str(reference))
        started = time.perf_counter()
        render_docx._sources(doc, _Brief(sources))  # type: ignore[arg-type]
        took = time.perf_counter() - started
        print(f"| {size:,} | {took * 1000:.1f} ms | {took / size * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
