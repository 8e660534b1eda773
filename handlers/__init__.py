"""Telegram handlers: parse and validate updates, call the domain, render answers.

:func:`register` adds every handler in one ordered place.
"""

from __future__ import annotations

from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers.callback_data import (
    CancelReport,
    CardAction,
    DraftAction,
    EditField,
    ExpandCard,
    MenuAction,
    OfficerAction,
    PickAgency,
    PickCategory,
    PickDisposition,
    PickKecamatan,
    PickPlace,
    SetLanguage,
    SosAnswer,
)
from handlers.context import BotApplication
from handlers.dispatch import dispatcher
from handlers.errors import report_error
from handlers.insight import commands as insight
from handlers.reporter import report, sos, start

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
# Only new messages drive the conversation: an edited message (e.g. a live-location
# update) must never advance a step.
NEW_PRIVATE = PRIVATE & filters.UpdateType.MESSAGE


def register(app: BotApplication) -> None:
    """Add all handlers. Within group 0 the first match wins, so order matters."""
    # Rating comments first (group -1): passes through unless the reporter just rated.
    app.add_handler(
        MessageHandler(NEW_PRIVATE & filters.TEXT & ~filters.COMMAND, insight.capture_comment),
        group=-1,
    )

    # Setup helper: works in every chat.
    app.add_handler(CommandHandler("chatid", start.tell_chat_id))
    app.add_handler(ChatMemberHandler(start.note_membership, ChatMemberHandler.MY_CHAT_MEMBER))

    # Reporter commands in private chats. Before the catch-all message router, so a
    # command in the middle of a report is a command, not an answer.
    app.add_handler(CommandHandler("start", start.greet_reporter, filters=NEW_PRIVATE))
    app.add_handler(CommandHandler(["lapor", "report"], report.start_report, filters=NEW_PRIVATE))
    app.add_handler(CommandHandler(["batal", "cancel"], report.cancel_report, filters=NEW_PRIVATE))
    app.add_handler(CommandHandler(["help", "bantuan"], start.show_help, filters=NEW_PRIVATE))
    app.add_handler(
        CommandHandler(["language", "bahasa"], start.choose_language, filters=NEW_PRIVATE)
    )
    app.add_handler(CommandHandler("status", dispatcher.show_status, filters=NEW_PRIVATE))
    app.add_handler(
        CommandHandler(["start", "lapor", "report"], start.redirect_to_private, filters=GROUPS)
    )

    # Dispatch-chat commands (each handler checks the chat is the configured one).
    app.add_handler(CommandHandler(["antrian", "queue"], dispatcher.show_queue, filters=GROUPS))
    app.add_handler(CommandHandler(["laporan", "ticket"], dispatcher.show_report, filters=GROUPS))
    app.add_handler(CommandHandler("unblock", dispatcher.unblock_reporter, filters=GROUPS))
    app.add_handler(CommandHandler(["statistik", "stats"], insight.show_statistics, filters=GROUPS))
    app.add_handler(CommandHandler(["ekspor", "export"], insight.export_reports, filters=GROUPS))

    # Inline buttons, by their typed callback-data prefix.
    app.add_handler(CallbackQueryHandler(start.open_menu_item, pattern=MenuAction.matches()))
    app.add_handler(CallbackQueryHandler(start.set_language, pattern=SetLanguage.matches()))
    app.add_handler(CallbackQueryHandler(report.choose_category, pattern=PickCategory.matches()))
    app.add_handler(CallbackQueryHandler(report.act_on_summary, pattern=DraftAction.matches()))
    app.add_handler(CallbackQueryHandler(report.edit_field, pattern=EditField.matches()))
    app.add_handler(CallbackQueryHandler(sos.choose_answer, pattern=SosAnswer.matches()))
    app.add_handler(CallbackQueryHandler(report.choose_place, pattern=PickPlace.matches()))
    app.add_handler(CallbackQueryHandler(report.choose_kecamatan, pattern=PickKecamatan.matches()))
    app.add_handler(
        CallbackQueryHandler(dispatcher.cancel_own_report, pattern=CancelReport.matches())
    )
    # Dispatch cards: each checks the press comes from a dispatcher in the dispatch chat.
    app.add_handler(CallbackQueryHandler(dispatcher.press_card, pattern=CardAction.matches()))
    app.add_handler(CallbackQueryHandler(dispatcher.pick_agency, pattern=PickAgency.matches()))
    app.add_handler(
        CallbackQueryHandler(dispatcher.pick_disposition, pattern=PickDisposition.matches())
    )
    app.add_handler(CallbackQueryHandler(dispatcher.expand_card, pattern=ExpandCard.matches()))
    # Agency copies: each checks the press comes from that agency's own group.
    app.add_handler(CallbackQueryHandler(dispatcher.press_officer, pattern=OfficerAction.matches()))
    app.add_handler(
        CallbackQueryHandler(insight.press_rating, pattern=insight.RateReport.matches())
    )
    # Anything else (forged, truncated, from an older version): answered, nothing changes.
    app.add_handler(CallbackQueryHandler(report.answer_unknown_button))

    # Unknown commands, then every other private message: routed by the draft's step.
    app.add_handler(MessageHandler(NEW_PRIVATE & filters.COMMAND, report.unknown_command))
    app.add_handler(MessageHandler(NEW_PRIVATE, report.receive_message))
    # Live-location updates arrive as edited messages: they move the location, never a step.
    app.add_handler(
        MessageHandler(
            PRIVATE & filters.UpdateType.EDITED_MESSAGE & filters.LOCATION,
            report.follow_live_location,
        )
    )
    # A reply in a group (privacy mode delivers replies to the bot's own messages): relayed
    # to the reporter when it answers a card or a relayed message in the dispatch chat.
    app.add_handler(
        MessageHandler(
            GROUPS & filters.REPLY & filters.UpdateType.MESSAGE & ~filters.COMMAND,
            dispatcher.relay_to_reporter,
        )
    )

    app.add_error_handler(report_error)
