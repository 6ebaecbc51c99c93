"""Render a Brief to Markdown with the Jinja2 template in ``templates/``."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from .. import __version__
from ..errors import ConfigError, RenderError
from ..models import Brief, Item
from ..text import safe_url
from .common import (
    anchor,
    as_of,
    changes_parts,
    cite,
    cited,
    day,
    excerpt,
    prepared,
    stamp,
)

TEMPLATE = "briefing.md.j2"
_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md(text: str) -> str:
    """Escape the characters Markdown would read as markup."""
    text = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return re.sub(r"^([#+-])", r"\\\1", text)


def cite_links(item: Item) -> str:
    """``[[1](#src-1), [2](#src-2)]``: each number (ascending) a link to its source's entry."""
    links = ", ".join(f"[{n}](#{anchor(n)})" for n in cited(item))
    return f"[{links}]" + as_of(item)


def figure_links(item: Item) -> str:
    """``"at least 51" [[3](#src-3)]; "35" [[5](#src-5)]``: each figure with its source."""
    return "; ".join(f'"{md(figure)}" [[{n}](#{anchor(n)})]' for figure, n in item.figures)


def source_anchor(number: int) -> str:
    """The anchor a source entry opens with: ``<a id="src-3"></a>``."""
    return f'<a id="{anchor(number)}"></a>'


def environment(templates_dir: Path, cache_dir: Path | None = None):  # -> jinja2.Environment
    """A strict Jinja2 environment over ``templates_dir`` with briefer's filters.

    ``cache_dir`` (in briefer's state folder) keeps compiled templates between runs.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=_bytecode_cache(cache_dir) if cache_dir is not None else None,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md,
        day=day,
        stamp=stamp,
        cite=cite,
        cite_links=cite_links,
        excerpt=excerpt,
        figure_links=figure_links,
        source_anchor=source_anchor,
        changes=changes_parts,
        prepared=prepared,
        link=safe_url,
    )
    return env


def _bytecode_cache(folder: Path):  # -> jinja2.BytecodeCache | None
    """Compiled templates kept in ``folder``, or None if it cannot be made.

    Jinja keys each entry by the template's text, so an edited template is
    compiled afresh; a cache that cannot be written is only slower.
    """
    import jinja2

    class QuietCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry: compile afresh (and overwrite it)
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        folder.mkdir(parents=True, exist_ok=True)
        # briefer's version in the name: a new release never reads an old entry.
        return QuietCache(str(folder), pattern=f"__briefer-{__version__}-%s.cache")
    except OSError:  # an unwritable state folder: only slower
        return None


def check_template(templates_dir: Path) -> None:
    """Raise ConfigError if the Markdown template is missing or does not parse."""
    _template(templates_dir)


def _template(templates_dir: Path, cache_dir: Path | None = None):  # -> jinja2.Template
    import jinja2

    path = templates_dir / TEMPLATE
    if not path.is_file():
        raise ConfigError(f"{path}: template not found")
    try:
        return environment(templates_dir, cache_dir).get_template(TEMPLATE)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: template error: {exc.message}") from None


def render_markdown(brief: Brief, templates_dir: Path, cache_dir: Path | None = None) -> str:
    """The memo as Markdown text (``cache_dir``: where compiled templates are kept)."""
    import jinja2

    template = _template(templates_dir, cache_dir)
    try:
        text = template.render(brief=brief)
    except jinja2.TemplateError as exc:
        raise RenderError(f"{templates_dir / TEMPLATE}: {exc}") from None
    # Collapse the blank-line runs that template blocks leave behind.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
