"""Outbound messages as values: what every layer hands to the durable outbox.

Renderers (``handlers/views``) build them, services queue them in the transaction of the
change they report (``storage/outbox.py``), the delivery worker sends them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class OutboundMessage:
    """One Bot API call to make. ``key`` names it so that a later message in the same
    batch can reply to it (``reply_to_key``) once its message id is known."""

    chat_id: int
    method: str
    payload: dict[str, Any]
    role: str
    priority: int = 0
    report_id: int | None = None
    key: str | None = None
    reply_to_key: str | None = None
    edit_outbox_id: int | None = None  # edit the message that outbox row sent
    reply_to_outbox_id: int | None = None  # reply to the message that outbox row sent


Incoming = tuple[int, int, int]
"""(chat id, message id, report id) of a person's message that belongs to a report."""
