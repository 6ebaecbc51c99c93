"""The rules file (``config/rules.toml``): its schema, loading, and the user's patterns.

``load_rules`` reads, validates and compiles a rules file into :class:`Rules`,
which the summarize stages use; every mistake in the file is one line of a
:class:`~briefer.errors.ConfigError`.
"""

from .cues import CueScanner
from .load import CompiledSection, Rules, load_rules, rules_from

__all__ = ["CompiledSection", "CueScanner", "Rules", "load_rules", "rules_from"]
