"""``/ekspor [csv|open311|eido] [hari|minggu|bulan]``: the reports as a file (dispatchers
only: the CSV holds phone numbers).
"""

from __future__ import annotations

from telegram import InputFile, Update

from bot.domain import export as exports
from bot.domain import stats
from bot.services.exports import export_bytes
from handlers.context import Context, answer, thread_of
from handlers.guards import dispatcher_command
from handlers.views.texts import EXPORT_WORDS, t


async def export_reports(update: Update, context: Context) -> None:
    """/ekspor [csv|open311|eido] [hari|minggu|bulan]: the period's reports as a file."""
    svc = await dispatcher_command(update, context)
    if svc is None:
        return
    lang = svc.settings.dispatch_language
    chat = update.effective_chat
    assert chat is not None
    chat_id = chat.id  # the dispatch chat, or the luar-kota chat it was asked in
    fmt: exports.ExportFormat = "csv"
    kind: stats.PeriodKind = "day"
    for arg in context.words:
        as_fmt, as_period = exports.parse_format(arg), stats.parse_period_word(arg)
        if as_fmt is not None:
            fmt = as_fmt
        elif as_period is not None:
            kind = as_period
        else:
            await answer(update, context, t(lang, "export_usage"))
            return
    period = stats.period_for(kind, svc.clock.now(), svc.settings.tz)
    data, count = await export_bytes(
        svc.db, period, fmt, svc.routing, svc.response_target, EXPORT_WORDS
    )
    caption = t(
        lang,
        "export_caption",
        fmt=fmt.upper() if fmt == "csv" else {"open311": "Open311", "eido": "EIDO"}[fmt],
        period=period.label(lang),
        count=stats.fmt_int(count, lang),
    )
    await context.bot.send_document(
        chat_id,
        InputFile(data, filename=exports.filename(fmt, period.slug)),
        caption=caption,
        message_thread_id=thread_of(update),
    )
