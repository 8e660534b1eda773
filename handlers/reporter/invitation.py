"""Opening an invitation link (``t.me/<bot>?start=inv_<token>``): the person is bound to
the trusted role, or told clearly why not (unknown, expired, used up, under review)."""

from __future__ import annotations

import logging

from telegram import Update

from bot.domain.messages import OutboundMessage
from bot.domain.models import Reporter
from bot.domain.trust import Invitation, Redemption, Standing
from bot.services import trust
from handlers.context import Context, open_session, send
from handlers.views import keyboards
from handlers.views.trust import joined_notice, redemption_text

log = logging.getLogger(__name__)


async def accept_invitation(update: Update, context: Context, token: str) -> None:
    """/start inv_<token> in a private chat."""
    s = await open_session(update, context)
    svc = s.svc

    def notice(
        reporter: Reporter, standing: Standing, invitation: Invitation
    ) -> list[OutboundMessage]:
        return [
            joined_notice(
                svc.cards.chat, svc.settings.dispatch_language, reporter, standing, invitation.id
            )
        ]

    opened = await trust.open_invitation(svc.db, token, s.reporter, svc.clock.now(), notice)
    if opened.outcome is Redemption.UNKNOWN:
        log.warning("unknown invitation token opened by user %s", s.reporter.user_id)
    text = redemption_text(
        opened.outcome, opened.invitation, opened.standing, s.reporter, svc.settings.tz
    )
    await send(context, s.reporter.user_id, text, keyboards.main_menu(s.lang))
    if opened.outcome.binds:
        svc.wake_outbox()
