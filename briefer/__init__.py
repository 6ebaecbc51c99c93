"""briefer: cited briefing memos from news articles and feeds.

The library face (the CLI commands are thin wrappers around it)::

    from briefer import load_settings, build_brief, make_edition

    settings = load_settings("config/briefer.toml", budget_words=500)
    brief = build_brief(settings)             # the memo as data, nothing written
    outcome = make_edition(settings)          # fetch, build, write out/, record, maybe mail
    print(outcome.docx, outcome.brief.title)

    check_setup(settings)                     # what `briefer check` checks; ConfigError if not
    read_status(settings).latest              # what `briefer status` shows

Every mistake in the input is a :class:`BrieferError` (``ConfigError``,
``SourceError``, ...) whose ``lines`` name the file and the problem.
Names are imported on first use, so ``import briefer`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS = {
    "Settings": "briefer.settings",
    "load_settings": "briefer.settings",
    "build_brief": "briefer.brief",
    "make_edition": "briefer.edition",
    "Outcome": "briefer.edition",
    "check_setup": "briefer.status",
    "read_status": "briefer.status",
    "Setup": "briefer.status",
    "Status": "briefer.status",
    "Brief": "briefer.models",
    "BrieferError": "briefer.errors",
    "ConfigError": "briefer.errors",
    "DeliveryError": "briefer.errors",
    "FeedError": "briefer.errors",
    "LockedError": "briefer.errors",
    "RenderError": "briefer.errors",
    "SourceError": "briefer.errors",
    "StateError": "briefer.errors",
}

__all__ = [
    "Brief",
    "BrieferError",
    "ConfigError",
    "DeliveryError",
    "FeedError",
    "LockedError",
    "Outcome",
    "RenderError",
    "Settings",
    "Setup",
    "SourceError",
    "StateError",
    "Status",
    "__version__",
    "build_brief",
    "check_setup",
    "load_settings",
    "make_edition",
    "read_status",
]

if TYPE_CHECKING:
    from .brief import build_brief
    from .edition import Outcome, make_edition
    from .errors import (
        BrieferError,
        ConfigError,
        DeliveryError,
        FeedError,
        LockedError,
        RenderError,
        SourceError,
        StateError,
    )
    from .models import Brief
    from .settings import Settings, load_settings
    from .status import Setup, Status, check_setup, read_status


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'briefer' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
