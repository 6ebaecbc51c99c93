"""Prune old editions: only files briefer recorded, never the newest."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from .settings import Settings
from .state import StateStore

log = logging.getLogger("briefer.retention")


def prune(settings: Settings, store: StateStore, now: datetime) -> list[str]:
    """Delete the out folder's editions older than ``schedule.keep_days``; returns their stems.

    The folder's newest edition (the one ``latest.*`` shows) is always kept;
    editions written to other folders are left alone.
    """
    folder = settings.out_dir.resolve()
    editions = [e for e in store.editions() if e.out_dir and e.out_dir.resolve() == folder]
    newest = store.latest_edition(out_dir=folder)
    cutoff = now - timedelta(days=settings.schedule.keep_days)
    removed = []
    for record in editions:
        if record.edition_time >= cutoff or newest is None or record.stem == newest.stem:
            continue
        for path in (record.docx, record.markdown):
            # Only the files this state store recorded, inside the out folder.
            if path.parent.resolve() == folder:
                path.unlink(missing_ok=True)
        store.forget_edition(record.stem, out_dir=folder)
        removed.append(record.stem)
    if removed:
        days = settings.schedule.keep_days
        log.info("pruned %d edition(s) older than %d days", len(removed), days)
    return removed
