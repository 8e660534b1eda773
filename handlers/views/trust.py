"""What trusted reporters and dispatchers read about roles: the badge, invitations, the
answer to opening one, the list of trusted people, notices, the statistics lines."""

from __future__ import annotations

from datetime import tzinfo

from bot.domain.card import CardState
from bot.domain.messages import OutboundMessage
from bot.domain.models import Badge, Language, Reporter, TrustRole
from bot.domain.stats import fmt_int, fmt_share
from bot.domain.trust import Invitation, Redemption, Standing, TrustedPerson, TrustStatus
from bot.domain.trust_stats import TrustShare
from handlers.views.render import esc, local_time
from handlers.views.texts import t

MESSAGE_BUDGET = 3900


def role_label(role: TrustRole, lang: Language) -> str:
    """The role's name ("Relawan", "Ketua RT/RW", "Petugas lapangan")."""
    return t(lang, f"trust_role_{role.value}")


def badge_html(badge: Badge | Standing, lang: Language) -> str:
    """ "Relawan — SAR Semarang" (escaped)."""
    return t(lang, "trust_badge", role=role_label(badge.role, lang), community=esc(badge.community))


def badge_line(badge: Badge, lang: Language) -> str:
    """The card's line: "✅ Relawan — SAR Semarang · pelapor terverifikasi"."""
    return t(lang, "card_badge", badge=badge_html(badge, lang))


def handle(reporter: Reporter) -> str:
    """How a dispatcher names a person in a command: @username, else the user id."""
    return f"@{reporter.username}" if reporter.username else str(reporter.user_id)


def person_html(reporter: Reporter) -> str:
    """Name and @username, escaped."""
    name = esc(reporter.full_name)
    return f"{name} (@{esc(reporter.username)})" if reporter.username else name


def invitation_text(invitation: Invitation, link: str, lang: Language, tz: tzinfo) -> str:
    """The dispatcher's answer to ``/undang``: the deep link and what it grants."""
    return t(
        lang,
        "trust_invitation",
        badge=badge_html(invitation.badge, lang),
        invitation=invitation.id,
        uses=invitation.max_uses,
        until=local_time(invitation.expires_at, tz),
        link=esc(link),
    )


def redemption_text(
    outcome: Redemption,
    invitation: Invitation | None,
    standing: Standing | None,
    reporter: Reporter,
    tz: tzinfo,
) -> str:
    """The answer to a person who opened an invitation link."""
    lang = reporter.lang
    if outcome is Redemption.JOINED and standing is not None:
        return t(
            lang, "trust_joined", name=esc(reporter.first_name), badge=badge_html(standing, lang)
        )
    if outcome is Redemption.ALREADY and standing is not None:
        return t(lang, "trust_already", badge=badge_html(standing, lang))
    if outcome is Redemption.EXPIRED and invitation is not None:
        return t(lang, "trust_refused_expired", until=local_time(invitation.expires_at, tz))
    if outcome is Redemption.USED_UP and invitation is not None:
        return t(lang, "trust_refused_used_up", uses=invitation.max_uses)
    if outcome is Redemption.SUSPENDED and standing is not None:
        return t(lang, "trust_refused_suspended", badge=badge_html(standing, lang))
    if outcome is Redemption.REVOKED:
        return t(lang, "trust_refused_revoked")
    return t(lang, "trust_refused_unknown")


def to_person(reporter: Reporter, text: str) -> OutboundMessage:
    """A notice in the person's private chat (their chat id is their user id)."""
    return OutboundMessage(
        reporter.user_id,
        "send_message",
        {"text": text, "parse_mode": "HTML"},
        role="notice",
        priority=10,
    )


def revoked_notice(reporter: Reporter, before: Standing) -> list[OutboundMessage]:
    """The person is told their role was revoked."""
    badge = badge_html(before, reporter.lang)
    return [to_person(reporter, t(reporter.lang, "trust_you_are_revoked", badge=badge))]


def reinstated_notice(reporter: Reporter, after: Standing) -> list[OutboundMessage]:
    """The person is told their role is active again."""
    badge = badge_html(after, reporter.lang)
    return [to_person(reporter, t(reporter.lang, "trust_you_are_reinstated", badge=badge))]


def to_group(chat_id: int, text: str) -> OutboundMessage:
    """A notice in the dispatchers' group."""
    return OutboundMessage(
        chat_id, "send_message", {"text": text, "parse_mode": "HTML"}, role="group_notice"
    )


def joined_notice(
    chat_id: int, lang: Language, reporter: Reporter, standing: Standing, invitation: int
) -> OutboundMessage:
    """The dispatchers are told who joined through which invitation."""
    text = t(
        lang,
        "trust_group_joined",
        name=person_html(reporter),
        badge=badge_html(standing, lang),
        invitation=invitation,
    )
    return to_group(chat_id, text)


def prank_notes(state: CardState, lang: Language) -> tuple[str, str | None]:
    """A trusted report closed as a prank: the line added to its reporter's notice (in
    their language) and, when it suspended their role, the group's note (in ``lang``)."""
    badge = state.report.badge
    assert badge is not None
    suspended = state.trust is not None and state.trust.status is TrustStatus.SUSPENDED
    reporter_lang = state.report.language
    if not suspended or state.trust is None:
        return t(reporter_lang, "notice_trusted_prank_no_strike"), None
    note = t(reporter_lang, "notice_trusted_prank", badge=badge_html(state.trust, reporter_lang))
    group = t(
        lang,
        "trust_group_suspended",
        ticket=state.report.ticket,
        badge=badge_html(state.trust, lang),
        name=person_html(state.reporter),
        who=esc(handle(state.reporter)),
    )
    return note, group


def trusted_list(people: list[TrustedPerson], lang: Language, tz: tzinfo) -> list[str]:
    """``/relawan``: people grouped by role and community, as messages within the limit."""
    if not people:
        return [t(lang, "trust_list_empty")]
    lines = [t(lang, "trust_list_title", count=len(people))]
    group: tuple[TrustRole, str] | None = None
    for person in people:
        standing = person.standing
        if (standing.role, standing.community) != group:
            group = (standing.role, standing.community)
            lines.append(f"\n<b>{badge_html(standing, lang)}</b>")
        last = (
            local_time(person.last_active, tz)
            if person.last_active
            else t(lang, "trust_list_never")
        )
        line = t(
            lang,
            "trust_list_person",
            name=person_html(person.reporter),
            reports=person.reports,
            last=last,
        )
        if standing.status is TrustStatus.SUSPENDED:
            line += " · " + t(lang, "trust_list_suspended")
        lines.append(line)
    return _pack(lines)


def _pack(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and len(out[-1]) + 1 + len(line) <= MESSAGE_BUDGET:
            out[-1] += "\n" + line
        else:
            out.append(line[:MESSAGE_BUDGET])
    return out


def trust_share_lines(share: TrustShare, lang: Language) -> str:
    """The ``/statistik`` section: trusted reporters' share and prank rate vs the public."""
    lines = [
        t(
            lang,
            "stats_trust",
            trusted=fmt_int(share.trusted.reports, lang),
            share=fmt_share(share.trusted_share, lang),
            trusted_pranks=fmt_share(share.trusted.prank_share, lang),
            public=fmt_int(share.public.reports, lang),
            public_pranks=fmt_share(share.public.prank_share, lang),
        )
    ]
    for role, tally in share.by_role:
        lines.append(
            t(
                lang,
                "stats_trust_role",
                role=role_label(role, lang),
                count=fmt_int(tally.reports, lang),
                pranks=fmt_share(tally.prank_share, lang),
            )
        )
    return "\n".join(lines)
