"""Mail an edition at most once per reader, retried with backoff, each acceptance recorded.

:func:`deliver` sends one message to every recipient that does not have
the edition yet and records each acceptance in the state store at once, so
a restart never mails an edition twice. Transient failures (no connection,
a timeout, a 4xx reply) are retried with exponential backoff; permanent
ones (a 5xx reply, a refused login, a bad certificate) stop at the first
try. A failed delivery leaves the edition in ``out/`` and marks it
undelivered; :func:`retry_undelivered` tries those again on the daemon's
next run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..errors import BrieferError, DeliveryError
from ..settings import Settings
from ..state import EditionRecord, StateStore
from ..text import plural
from .config import password_of, plan, server_name
from .message import compose
from .smtp import Masker, describe, send_once, transient

LOCK_FILE = "mail.lock"
LOCK_WAIT = 600.0

log = logging.getLogger("briefer.mail")


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What one delivery of an edition did."""

    edition: str
    server: str
    sent_to: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    message_id: str | None = None
    attempts: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the delivery failed."""
        return self.error is None

    def summary(self) -> str:
        """One line for the user: what was sent, skipped, or why it failed."""
        if self.error is not None:
            return self.error
        if not self.sent_to:
            return (
                f"Nothing to send: every recipient ({len(self.skipped)}) already has "
                f"{self.edition} (use --force to send it again)"
            )
        line = f"Sent {self.edition} to {plural(len(self.sent_to), 'recipient')} via {self.server}"
        if self.skipped:
            line += f"; {len(self.skipped)} already had it"
        return line


def deliver(
    settings: Settings, store: StateStore, record: EditionRecord, *, force: bool = False
) -> DeliveryResult:
    """Mail ``record`` to every configured recipient that does not have it yet.

    One message goes to all pending recipients; each acceptance is recorded
    in ``store`` before anything else happens, so a later call (or a
    restarted process) sends nothing twice. ``force`` sends to everyone
    again. On failure the edition is marked undelivered and DeliveryError
    is raised with one line naming the server and its reply.
    """
    from filelock import FileLock, Timeout
    from tenacity import (
        RetryCallState,
        Retrying,
        retry_if_exception,
        stop_after_attempt,
        wait_exponential,
    )

    d = settings.delivery
    server = server_name(settings)
    try:
        envelope = plan(settings)  # its lines say "mail not sent: ..."
    except DeliveryError as exc:
        store.mark_undelivered(record.stem, exc.lines[0], 0, out_dir=record.folder)
        raise
    try:
        password = password_of(settings) if d.user else None
    except DeliveryError as exc:
        line = f"mail not sent: {exc.lines[0]}"
        store.mark_undelivered(record.stem, line, 0, out_dir=record.folder)
        raise DeliveryError(line) from None
    mask = Masker(d.user, password)

    lock = FileLock(str(store.path.parent / LOCK_FILE))
    try:
        lock.acquire(timeout=LOCK_WAIT)
    except Timeout:
        raise DeliveryError(
            f"mail not sent: another briefer process is still mailing after {LOCK_WAIT:.0f} s"
        ) from None
    try:
        wanted = envelope.recipients()
        had = set() if force else store.delivered_to(record.stem, out_dir=record.folder)
        skipped = tuple(r for r in wanted if r.lower() in had)
        pending = [r for r in wanted if r.lower() not in had]
        if not pending:
            log.debug("%s: every recipient has it already; nothing sent", record.stem)
            return DeliveryResult(edition=record.stem, server=server, skipped=skipped)
        try:
            message = compose(settings, record, envelope=envelope)
        except DeliveryError as exc:
            store.mark_undelivered(record.stem, exc.lines[0], 0, out_dir=record.folder)
            raise
        message_id = str(message["Message-ID"])
        done: list[str] = []
        tries = 0

        def record_accepted(recipients: list[str]) -> None:
            store.mark_delivered(record.stem, recipients, message_id, out_dir=record.folder)
            done.extend(recipients)

        def attempt() -> None:
            nonlocal tries
            tries += 1
            remaining = [r for r in pending if r not in done]
            send_once(
                settings, message, envelope.sender.addr_spec, remaining, password, record_accepted
            )

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            wait = state.next_action.sleep if state.next_action else 0.0
            log.warning(
                "mail to %s: try %d of %d failed: %s; trying again in %.3g s",
                server,
                state.attempt_number,
                d.attempts,
                mask(describe(exc, settings)) if exc else "unknown error",
                wait,
            )

        retrying = Retrying(
            stop=stop_after_attempt(d.attempts),
            wait=wait_exponential(multiplier=d.retry_wait, max=d.retry_wait_max),
            retry=retry_if_exception(transient),
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            retrying(attempt)
        except Exception as exc:
            after = f" after {tries} tries" if tries > 1 else ""
            error = mask(f"mail to {server} failed{after}: {describe(exc, settings)}")
            if done:
                error += f" ({plural(len(done), 'recipient')} did get it)"
            store.mark_undelivered(record.stem, error, tries, out_dir=record.folder)
            raise DeliveryError(error) from None
        log.debug(
            "mailed %s to %s via %s in %s (%s)",
            record.stem,
            plural(len(done), "recipient"),
            server,
            plural(tries, "try"),
            message_id,
        )
        return DeliveryResult(
            edition=record.stem,
            server=server,
            sent_to=tuple(done),
            skipped=skipped,
            message_id=message_id,
            attempts=tries,
        )
    finally:
        lock.release()


def retry_undelivered(settings: Settings, store: StateStore) -> list[DeliveryResult]:
    """Try again every edition of the out folder whose mail failed; logs, never raises.

    Does nothing unless ``delivery.enabled``: a user who turned mailing
    off does not want old editions to go out. Editions of other out folders
    on the same state folder are left to their own runs.
    """
    if not settings.delivery.enabled:
        return []
    server = server_name(settings)
    folder = settings.out_dir
    results: list[DeliveryResult] = []
    for stem, previous in store.undelivered(out_dir=folder):
        record = store.edition(stem, folder)
        if record is None:
            log.warning("mail for %s not retried: the edition is no longer recorded", stem)
            store.forget_undelivered(stem, out_dir=folder)
            continue
        log.info("retrying mail for %s (it failed before: %s)", stem, previous)
        try:
            result = deliver(settings, store, record)
        except BrieferError as exc:
            error = exc.lines[0] if exc.lines else str(exc)
            log.warning("%s: %s", stem, error)
            result = DeliveryResult(edition=stem, server=server, error=error)
        except Exception as exc:  # a daemon run must go on
            error = f"mail for {stem} failed unexpectedly: {type(exc).__name__}"
            log.warning("%s", error)
            result = DeliveryResult(edition=stem, server=server, error=error)
        else:
            log.info("%s", result.summary())
        results.append(result)
    return results
