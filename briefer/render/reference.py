"""Create ``templates/reference.docx``: the styles every Word memo uses.

Run ``python -m briefer.render.reference templates/reference.docx`` to
recreate it; or open it in Word, change the styles (fonts, colours,
spacing, page size) and save: every later memo follows.
"""

from __future__ import annotations

import sys
from pathlib import Path


def make_reference(path: Path) -> None:
    """Write a reference document with briefer's styles to ``path``."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
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
    for name in ("List Bullet", "List Number"):
        styles[name].paragraph_format.space_after = Pt(3)
    if "Hyperlink" not in [s.name for s in styles]:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link.font.underline = True
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
    doc.add_paragraph("List Number", style="List Number")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


if __name__ == "__main__":
    make_reference(Path(sys.argv[1] if len(sys.argv) > 1 else "templates/reference.docx"))
