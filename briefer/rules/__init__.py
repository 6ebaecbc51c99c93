"""The rules file (``config/rules.toml``): its schema, loading, and the user's patterns.

:func:`load_rules` reads a rules file, validates it in one pass (every
mistake is one line of a :class:`~briefer.errors.ConfigError`, naming the
file, section and key) and compiles it into :class:`Rules`, which the
summarize stages use. The modules:

- ``schema``: the file's tables as strict pydantic models, a description
  per key (``editorial``: [kinds], [news_value], [questions]; ``fields``:
  the pattern fields and [regex]);
- ``load``: reading, validating and compiling; :class:`Rules`;
- ``cues``: a section's compiled cues and :class:`CueScanner`, the one
  scorer of texts by them;
- ``patterns``: user regular expressions on the ``regex`` module, every
  search bounded in length and time;
- ``probe``: refusing, at load time, a pattern that backtracks without
  bound on hostile lines built from its own parts;
- ``tokens`` and ``needles``: a pattern read as tokens; the texts every
  match of a pattern holds, so that a paragraph holding none is skipped.
"""

from .cues import CompiledSection, CueScanner
from .load import Rules, load_rules, rules_from

__all__ = ["CompiledSection", "CueScanner", "Rules", "load_rules", "rules_from"]
