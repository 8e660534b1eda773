"""Membership of the dispatch chat: a promoted or demoted admin counts as such at once.

Telegram sends ``chat_member`` updates to a bot that is an admin of the group; python-
telegram-bot asks for them (``allowed_updates`` = all types). Without this, a demoted
admin would keep pressing Close until the cached answer expired.
"""

from __future__ import annotations

import logging

from telegram import Update

from handlers.context import Context
from handlers.guards import forget_member

log = logging.getLogger(__name__)


async def note_member_change(update: Update, context: Context) -> None:
    """Forget what we believed about this member's rights."""
    change = update.chat_member
    if change is None:
        return
    user = change.new_chat_member.user
    forget_member(context.services, change.chat.id, user.id)
    log.info("chat %s: member %s is now %s", change.chat.id, user.id, change.new_chat_member.status)
