"""Render a Word memo's pages to PNG pictures (LibreOffice -> PDF -> pdftoppm).

Run from the project root::

    .venv/bin/python docs/pages.py --seed-memo        # docs/seed-memo.png (make readme-picture)
    .venv/bin/python docs/pages.py out/latest.docx --out pages/    # every page

Needs LibreOffice (``soffice``) and poppler's ``pdftoppm``; says which one
is missing and exits with 1 when they are not installed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_PICTURE = ROOT / "docs" / "seed-memo.png"
TOOLS = {
    "soffice": "LibreOffice (Debian/Ubuntu: apt install libreoffice-writer)",
    "pdftoppm": "poppler's pdftoppm (Debian/Ubuntu: apt install poppler-utils)",
}


class MissingTool(Exception):
    """A program the rendering needs is not installed."""


def tools() -> dict[str, str]:
    """The path of each program needed; MissingTool naming every one that is not found."""
    found = {name: shutil.which(name) for name in TOOLS}
    missing = [f"{name} ({TOOLS[name]})" for name, path in found.items() if path is None]
    if missing:
        raise MissingTool("rendering pages needs " + " and ".join(missing) + "; not found")
    return {name: str(path) for name, path in found.items()}


def to_pdf(docx: Path, folder: Path) -> Path:
    """The PDF LibreOffice makes of ``docx`` (a private profile: no clash with a running one)."""
    programs = tools()
    profile = folder / "profile"
    subprocess.run(
        [programs["soffice"], f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    pdf = folder / (docx.stem + ".pdf")
    if not pdf.is_file():
        raise RuntimeError(f"{docx}: LibreOffice wrote no PDF")
    return pdf


def pages(
    docx: Path, out: Path, first: int = 1, last: int | None = None, dpi: int = 80
) -> list[Path]:
    """PNG files of pages ``first`` to ``last`` (default: all) of ``docx``, in ``out``."""
    programs = tools()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = to_pdf(docx, Path(tmp))
        command = [programs["pdftoppm"], "-png", "-r", str(dpi), "-f", str(first)]
        if last is not None:
            command += ["-l", str(last)]
        subprocess.run([*command, str(pdf), str(out / docx.stem)], check=True, timeout=180)
    return sorted(out.glob(f"{docx.stem}-*.png"))


def seed_picture(target: Path = SEED_PICTURE, dpi: int = 80) -> Path:
    """Page 1 of the seed memo's real .docx (the golden edition time) as ``target``."""
    sys.path.insert(0, str(ROOT))
    from briefer.brief import build_brief
    from briefer.render.docx import render_docx
    from tests.helpers import make_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(Path(tmp))
        docx = Path(tmp) / "seed-memo.docx"
        docx.write_bytes(render_docx(build_brief(settings), settings.templates_dir))
        [png] = pages(docx, Path(tmp) / "png", first=1, last=1, dpi=dpi)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", nargs="?", type=Path, help="the .docx to render")
    parser.add_argument("--out", type=Path, default=Path("pages"), help="folder for the PNGs")
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument(
        "--seed-memo", action="store_true", help=f"page 1 of the seed memo -> {SEED_PICTURE}"
    )
    args = parser.parse_args(argv)
    try:
        if args.seed_memo:
            print(f"Wrote {seed_picture(dpi=args.dpi).relative_to(ROOT)}")
        elif args.docx is not None:
            for path in pages(args.docx, args.out, dpi=args.dpi):
                print(f"Wrote {path}")
        else:
            parser.error("give a .docx, or --seed-memo")
    except MissingTool as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace").strip()
        print(f"Error: {exc.cmd[0]} failed: {detail or exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
