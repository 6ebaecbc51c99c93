"""Create ``templates/reference.docx``: the styles and page every Word memo uses.

Run ``python -m briefer.render.reference templates/reference.docx`` to
recreate it; or open it in Word, change the styles (fonts, colours,
spacing) or the page (size, margins) and save: every later memo follows.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from ..atomic import replace_file

DEFAULT_PATH = Path("templates") / "reference.docx"


def make_reference(path: Path) -> None:
    """Write a reference document with briefer's styles and page to ``path``."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.widow_control = True
    title = styles["Title"]
    title.font.name = "Calibri Light"
    title.font.size = Pt(24)
    title.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
    subtitle = styles["Subtitle"]
    subtitle.font.color.rgb = RGBColor(0xA0, 0x1C, 0x1C)
    heading = styles["Heading 1"]
    heading.font.name = "Calibri Light"
    heading.font.size = Pt(14)
    heading.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(4)
    heading.paragraph_format.keep_with_next = True
    for name in ("List Bullet", "List Number"):
        styles[name].paragraph_format.space_after = Pt(3)
    if "Hyperlink" not in [s.name for s in styles]:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link.font.underline = True
    # The source list: small type, a hanging indent for the number, an entry
    # never split across pages.
    source = styles.add_style("Source", WD_STYLE_TYPE.PARAGRAPH)
    source.base_style = normal
    source.font.size = Pt(8.5)
    fmt = source.paragraph_format
    fmt.left_indent = Cm(0.9)
    fmt.first_line_indent = Cm(-0.9)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(1)
    fmt.widow_control = True
    fmt.keep_together = True
    header = styles["Header"]
    header.font.size = Pt(8.5)
    header.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    styles["Footer"].font.size = Pt(8.5)
    props = doc.core_properties
    props.title = "briefer reference document"
    props.author = "briefer"
    props.last_modified_by = "briefer"
    props.comments = "Styles for briefer memos. Edit the styles, keep their names."
    doc.add_paragraph("Title", style="Title")
    doc.add_paragraph("Subtitle (handling marking)", style="Subtitle")
    doc.add_paragraph("Heading 1", style="Heading 1")
    doc.add_paragraph("Normal text.")
    doc.add_paragraph("List Bullet", style="List Bullet")
    doc.add_paragraph("List Bullet 2", style="List Bullet 2")
    doc.add_paragraph("List Number", style="List Number")
    doc.add_paragraph("[1]\tSource: publisher, headline, date", style="Source")
    buffer = io.BytesIO()
    doc.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    """``python -m briefer.render.reference [PATH]``."""
    parser = argparse.ArgumentParser(
        prog="python -m briefer.render.reference",
        description="Write briefer's reference Word document (the styles and page size "
        "every memo uses). Edit it in Word afterwards to restyle every later memo.",
        epilog=f"Example: python -m briefer.render.reference {DEFAULT_PATH}",
    )
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=DEFAULT_PATH,
        help=f"where to write it (default: {DEFAULT_PATH}); an existing file is replaced",
    )
    args = parser.parse_args(argv)
    try:
        make_reference(args.path)
    except OSError as exc:
        print(f"Error: {args.path}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"Wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
