"""Mail an edition to its readers: one MIME message, at most once per recipient.

* :mod:`.config`: the ``[delivery]`` settings checked, the password read;
* :mod:`.message`: the message (Markdown text, HTML alternative, files attached);
* :mod:`.smtp`: one SMTP session and what its failures mean;
* :mod:`.ledger`: :func:`deliver`, retries, and the once-per-reader record.

Secrets: the SMTP password comes from an environment variable or a file,
never from the settings file, and is masked in every message this package
writes or raises.
"""

from .config import check_delivery, delivery_wanted, outline, require_configured, server_name
from .ledger import DeliveryResult, deliver, retry_undelivered
from .message import DOCX_TYPE, compose, render_html, subject

__all__ = [
    "DOCX_TYPE",
    "DeliveryResult",
    "check_delivery",
    "compose",
    "deliver",
    "delivery_wanted",
    "outline",
    "render_html",
    "require_configured",
    "retry_undelivered",
    "server_name",
    "subject",
]
