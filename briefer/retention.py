"""Prune old editions: only files briefer recorded, never the newest."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from .settings import Settings
from .state import StateStore

log = logging.getLogger("briefer.retention")


def prune(settings: Settings, store: StateStore, now: datetime) -> list[str]:
    """Delete editions older than ``schedule.keep_days``; returns the stems removed."""
    editions = store.editions()
    if len(editions) <= 1:
        return []
    cutoff = now - timedelta(days=settings.schedule.keep_days)
    newest = editions[-1]
    removed = []
    for record in editions[:-1]:
        if record.edition_time >= cutoff or record is newest:
            continue
        for path in (record.docx, record.markdown):
            # Only the files this state store recorded, inside the out folder.
            if path.parent.resolve() == settings.out_dir.resolve():
                path.unlink(missing_ok=True)
        store.forget_edition(record.stem)
        removed.append(record.stem)
    if removed:
        days = settings.schedule.keep_days
        log.info("pruned %d edition(s) older than %d days", len(removed), days)
    return removed
