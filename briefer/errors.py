"""The exceptions briefer raises on purpose.

Each carries a message meant for the user, one line per problem. The CLI
prints them as ``Error: ...`` and exits with ``exit_code``; tracebacks
appear only with ``--debug``.
"""

from __future__ import annotations


class BrieferError(Exception):
    """Base class: a problem the user can act on."""

    exit_code = 1

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines: tuple[str, ...] = lines


class ConfigError(BrieferError):
    """Settings, rules or templates are invalid; nothing was built."""

    exit_code = 2


class SourceError(BrieferError):
    """The input cannot give an edition (no folder, no usable article)."""

    exit_code = 1


class RenderError(BrieferError):
    """A memo could not be rendered or written."""

    exit_code = 1


class FeedError(BrieferError):
    """One feed could not be fetched or parsed (recorded, never fatal)."""


class DeliveryError(BrieferError):
    """A memo could not be handed out."""


class StateError(BrieferError):
    """briefer's state folder cannot be used (read-only, full, locked too long)."""

    exit_code = 1


class LockedError(BrieferError):
    """Another briefer process holds the state lock."""

    exit_code = 3
