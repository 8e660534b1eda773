"""Trusted reporters, managed from the dispatch chat (dispatchers only):
``/undang`` (invite), ``/relawan`` (list), ``/cabut`` (revoke), ``/pulihkan`` (reinstate
after a prank suspended a role)."""

from __future__ import annotations

from telegram import Update
from telegram.error import Forbidden
from telegram.helpers import create_deep_linked_url

from bot.domain.models import TrustRole, clean_text
from bot.domain.trust import (
    InvitationError,
    InvitationRequest,
    deep_link_payload,
    parse_invitation,
)
from bot.services import trust
from bot.services.trust import Actor, Changed, Unchanged
from handlers.context import Context, Services, send
from handlers.guards import dispatcher_command
from handlers.views.render import esc, local_time
from handlers.views.texts import t
from handlers.views.trust import (
    badge_html,
    invitation_text,
    person_html,
    reinstated_notice,
    revoked_notice,
    trusted_list,
)
from storage.reporters import get_reporter


def _actor(update: Update) -> Actor:
    user = update.effective_user
    assert user is not None
    return Actor(user.id, clean_text(user.full_name) or str(user.id))


def _with_kelurahan(request: InvitationRequest, svc: Services) -> InvitationRequest | None:
    """A neighbourhood head's community is a kelurahan of the city: its official name."""
    if request.role is not TrustRole.RT_RW:
        return request
    found = svc.city.kelurahan_by_name(request.community)
    if not found:
        return None
    return InvitationRequest(request.role, found[0].name, request.uses, request.validity)


async def invite(update: Update, context: Context) -> None:
    """/undang <peran> "<komunitas>" [orang] [masa]: a deep link that grants the role."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    lang = svc.settings.dispatch_language
    parsed = parse_invitation(" ".join(context.words))
    if isinstance(parsed, InvitationError):
        error = "" if not context.words else t(lang, f"trust_error_{parsed.value}") + "\n\n"
        await send(context, svc.cards.chat, error + t(lang, "trust_usage"))
        return
    request = _with_kelurahan(parsed, svc)
    if request is None:
        await send(
            context, svc.cards.chat, t(lang, "trust_error_kelurahan", name=esc(parsed.community))
        )
        return
    user = update.effective_user
    assert user is not None  # dispatcher_command checked it
    name = esc(user.full_name)
    # The link grants a role to whoever opens it: never in the group, where every member
    # reads it, only in the asking dispatcher's private chat (which they must have opened).
    private_first = t(
        lang,
        "trust_open_private_first",
        name=name,
        bot=esc(create_deep_linked_url(context.bot.username)),
    )
    if await get_reporter(svc.db, user.id) is None:  # never opened a private chat with the bot
        await send(context, svc.cards.chat, private_first)
        return
    token, invitation = await trust.invite(svc.db, request, _actor(update), svc.clock.now())
    link = create_deep_linked_url(context.bot.username, deep_link_payload(token))
    try:
        await send(context, user.id, invitation_text(invitation, link, lang, svc.settings.tz))
    except Forbidden:  # the private chat was closed (bot blocked) since
        await send(context, svc.cards.chat, private_first)
        return
    await send(
        context,
        svc.cards.chat,
        t(
            lang,
            "trust_invitation_sent",
            invitation=invitation.id,
            badge=badge_html(invitation.badge, lang),
            uses=invitation.max_uses,
            until=local_time(invitation.expires_at, svc.settings.tz),
            name=name,
        ),
    )


async def list_trusted(update: Update, context: Context) -> None:
    """/relawan: trusted people by role and community, with reports and last activity."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    people = await trust.trusted_people(svc.db)
    for body in trusted_list(people, svc.settings.dispatch_language, svc.settings.tz):
        await send(context, svc.cards.chat, body)


async def _answer_change(
    context: Context, svc: Services, who: str, done: Changed | Unchanged, key: str
) -> None:
    lang = svc.settings.dispatch_language
    if isinstance(done, Unchanged):
        await send(context, svc.cards.chat, t(lang, f"trust_{done.value}", who=esc(who)))
        return
    badge = badge_html(done.before, lang)
    await send(context, svc.cards.chat, t(lang, key, who=person_html(done.reporter), badge=badge))
    svc.wake_outbox()


async def revoke(update: Update, context: Context) -> None:
    """/cabut <@username | user id>: revoke a trusted role; the person is told."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    if not context.words:
        await send(context, svc.cards.chat, t(svc.settings.dispatch_language, "usage_revoke"))
        return
    who = context.words[0]
    done = await trust.revoke(svc.db, who, _actor(update), svc.clock.now(), revoked_notice)
    await _answer_change(context, svc, who, done, "trust_revoked")


async def reinstate(update: Update, context: Context) -> None:
    """/pulihkan <@username | user id>: a suspended role is active again after review."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    if not context.words:
        await send(context, svc.cards.chat, t(svc.settings.dispatch_language, "usage_reinstate"))
        return
    who = context.words[0]
    done = await trust.reinstate(svc.db, who, _actor(update), svc.clock.now(), reinstated_notice)
    await _answer_change(context, svc, who, done, "trust_reinstated")
