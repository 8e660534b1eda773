"""What dispatchers and officers read: the card, its buttons and timeline, reminders,
refusals, the queue, agency copies and digests.

Telegram HTML; placeholders are filled with already-escaped values by the caller.
"""

from __future__ import annotations

from typing import Final

from handlers.views.texts.catalogue import Text

TEXTS: Final[tuple[Text, ...]] = (
    # --- the group ------------------------------------------------------------------------
    Text(
        "relay_from_reporter",
        id="💬 <b>Pelapor</b> {ticket}:\n{text}",
        en="💬 <b>Reporter</b> {ticket}:\n{text}",
    ),
    Text(
        "group_reporter_cancelled",
        id="↩️ Pelapor membatalkan laporan {ticket}.",
        en="↩️ The reporter cancelled {ticket}.",
    ),
    # --- the card: status, clock, warnings ------------------------------------------------
    Text("state_received", id="🔴 BARU — belum diambil", en="🔴 NEW — unclaimed"),
    Text("state_claimed", id="🟠 DIAMBIL — {who}", en="🟠 CLAIMED — {who}"),
    Text("state_dispatched", id="🟡 DIKIRIM — {agency}", en="🟡 DISPATCHED — {agency}"),
    Text("state_en_route", id="🔵 MENUJU LOKASI — {agency}", en="🔵 EN ROUTE — {agency}"),
    Text("state_on_scene", id="🟢 DI LOKASI — {agency}", en="🟢 ON SCENE — {agency}"),
    Text("state_closed", id="⚫ DITUTUP — {disposition}", en="⚫ CLOSED — {disposition}"),
    Text("card_status", id="Status", en="Status"),
    Text("card_suggested", id="Saran instansi", en="Suggested agency"),
    Text(
        "card_elapsed", id="⏱ {minutes} menit sejak diterima", en="⏱ {minutes} min since received"
    ),
    Text(
        "card_overdue",
        id="⚠️ <b>{minutes} menit — melewati target {target} menit!</b>",
        en="⚠️ <b>{minutes} min — past the {target}-minute target!</b>",
    ),
    Text(
        "card_response", id="⏱ Waktu tanggap: {minutes} menit", en="⏱ Response time: {minutes} min"
    ),
    Text(
        "card_possible_duplicate",
        id="⚠️ <b>Mungkin duplikat dari {other}</b>",
        en="⚠️ <b>Possible duplicate of {other}</b>",
    ),
    Text(
        "card_strikes",
        id="⚠️ Pelapor punya {strikes} catatan laporan palsu",
        en="⚠️ Reporter has {strikes} false-report strike(s)",
    ),
    Text("card_timeline", id="Riwayat", en="Timeline"),
    # --- the card's timeline --------------------------------------------------------------
    Text("ev_submitted", id="dikirim pelapor", en="sent by reporter"),
    Text("ev_card_delivered", id="diterima di grup", en="received in the group"),
    Text("ev_claimed", id="diambil {who}", en="claimed by {who}"),
    Text("ev_reassigned", id="dialihkan ke {who}", en="handed over to {who}"),
    Text("ev_dispatched", id="dikirim ke {agency}", en="dispatched to {agency}"),
    Text("ev_dispatch_added", id="tambahan: {agency}", en="added: {agency}"),
    Text("ev_en_route", id="menuju lokasi", en="en route"),
    Text("ev_on_scene", id="tiba di lokasi", en="on scene"),
    Text("ev_closed", id="ditutup: {disposition}", en="closed: {disposition}"),
    Text("ev_alert", id="pengingat", en="reminder"),
    # --- the card's buttons ---------------------------------------------------------------
    Text("btn_claim", id="🙋 Ambil", en="🙋 Claim"),
    Text("btn_dispatch", id="🚒 Kirim instansi", en="🚒 Dispatch"),
    Text("btn_en_route", id="🚗 Menuju lokasi", en="🚗 En route"),
    Text("btn_on_scene", id="📍 Tiba di lokasi", en="📍 On scene"),
    Text("btn_close", id="🗂 Tutup…", en="🗂 Close…"),
    Text("btn_lapor", id="➡️ Alihkan ke LAPOR!", en="➡️ Transfer to LAPOR!"),
    # --- answers to dispatchers, reminders, the queue, commands ---------------------------
    Text(
        "cut_off_dispatch",
        id="🚨 <b>Bot tidak bisa menulis di grup dispatch</b> (<code>{chat}</code>: {why}):"
        " kartu laporan ditahan, tidak hilang. Tambahkan bot kembali ke grup (atau beri izin"
        " mengirim pesan) sekarang; semua yang tertahan lalu dikirim berurutan.",
        en="🚨 <b>The bot cannot write to the dispatch group</b> (<code>{chat}</code>: {why}):"
        " report cards are held, not lost. Add the bot back to the group (or let it send"
        " messages) now; everything held then goes out in order.",
    ),
    Text(
        "cut_off_agency",
        id="🚨 <b>Bot tidak bisa menulis di grup instansi</b> (<code>{chat}</code>: {why}):"
        " salinan kartu ditahan. Tambahkan bot kembali ke grup itu (atau beri izin mengirim"
        " pesan).",
        en="🚨 <b>The bot cannot write to an agency group</b> (<code>{chat}</code>: {why}):"
        " card copies are held. Add the bot back to that group (or let it send messages).",
    ),
    Text(
        "cut_off_ops",
        id="🚨 <b>Bot tidak bisa menulis di grup operator</b> (<code>{chat}</code>,"
        " OPS_CHAT_ID: {why}): peringatan kini dikirim ke grup lain. Tambahkan bot kembali ke"
        " grup itu (atau beri izin mengirim pesan).",
        en="🚨 <b>The bot cannot write to the operators' group</b> (<code>{chat}</code>,"
        " OPS_CHAT_ID: {why}): alerts go to the other groups now. Add the bot back to that"
        " group (or let it send messages).",
    ),
    Text(
        "cut_off_still_ops",
        id="🚨 <b>Masih terputus:</b> bot belum bisa menulis ke grup operator"
        " (<code>{chat}</code>) sejak {since} ({minutes} menit); {held} pesan tertahan."
        " Tambahkan bot kembali ke grup itu.",
        en="🚨 <b>Still cut off:</b> the bot cannot write to the operators' group"
        " (<code>{chat}</code>) since {since} ({minutes} min); {held} message(s) held."
        " Add the bot back to that group.",
    ),
    Text(
        "cut_off_still_dispatch",
        id="🚨 <b>Masih terputus:</b> bot belum bisa menulis ke grup dispatch"
        " (<code>{chat}</code>) sejak {since} ({minutes} menit); {held} pesan tertahan, tidak"
        " hilang. Tambahkan bot kembali ke grup sekarang.",
        en="🚨 <b>Still cut off:</b> the bot cannot write to the dispatch group"
        " (<code>{chat}</code>) since {since} ({minutes} min); {held} message(s) held, not"
        " lost. Add the bot back to the group now.",
    ),
    Text(
        "cut_off_still_agency",
        id="🚨 <b>Masih terputus:</b> bot belum bisa menulis ke grup instansi"
        " (<code>{chat}</code>) sejak {since} ({minutes} menit); {held} pesan tertahan."
        " Tambahkan bot kembali ke grup itu.",
        en="🚨 <b>Still cut off:</b> the bot cannot write to an agency group"
        " (<code>{chat}</code>) since {since} ({minutes} min); {held} message(s) held."
        " Add the bot back to that group.",
    ),
    Text(
        "topic_lost",
        id="⚠️ Topik <code>{topic}</code> di grup <code>{chat}</code> menolak pesan bot ({why}):"
        " kartu laporan kini dikirim ke General, tidak hilang. Buka kembali topik itu, atau"
        " ubah DISPATCH_TOPIC_ID / topic_id di berkas routing.",
        en="⚠️ Topic <code>{topic}</code> of group <code>{chat}</code> refuses the bot's"
        " messages ({why}): report cards go to General now, none is lost. Reopen the topic, or"
        " change DISPATCH_TOPIC_ID / topic_id in the routing file.",
    ),
    Text(
        "card_gone",
        id="⚠️ Kartu laporan <code>{ticket}</code> tidak ada lagi di grup (pesannya atau"
        " topiknya dihapus): kartu itu dikirim ulang sekarang.",
        en="⚠️ The card of report <code>{ticket}</code> is no longer in the group (its message"
        " or its topic was deleted): it is posted again now.",
    ),
    Text(
        "chat_back",
        id="✅ Bot kembali di grup <code>{chat}</code> setelah {minutes} menit; {count} kartu"
        " laporan yang tertahan dikirim sekarang, berurutan.",
        en="✅ The bot is back in group <code>{chat}</code> after {minutes} min; {count} held"
        " report card(s) go out now, in order.",
    ),
    Text(
        "chat_migrated",
        id="⚠️ Grup <code>{old}</code> menjadi supergrup <code>{new}</code>. Bot sudah memakai"
        " id baru (juga setelah restart); perbarui DISPATCH_CHAT_ID atau berkas routing bila"
        " sempat.",
        en="⚠️ Group <code>{old}</code> became supergroup <code>{new}</code>. The bot already"
        " uses the new id (also after a restart); update DISPATCH_CHAT_ID or the routing file"
        " when convenient.",
    ),
    Text(
        "command_dispatchers_only",
        id="🔒 Perintah ini hanya untuk dispatcher (admin grup atau yang terdaftar).",
        en="🔒 This command is for dispatchers only (group admins or listed users).",
    ),
    Text(
        "not_dispatcher",
        id="Hanya dispatcher (admin grup atau yang terdaftar) yang dapat memproses laporan.",
        en="Only dispatchers (group admins or listed users) can act on reports.",
    ),
    Text("done", id="✅ Tercatat", en="✅ Recorded"),
    Text(
        "alert_unclaimed",
        id="⏰ <b>{ticket}</b> belum diambil sejak {minutes} menit. Mohon segera diambil.",
        en="⏰ <b>{ticket}</b> unclaimed for {minutes} min. Please claim it.",
    ),
    Text(
        "alert_overdue",
        id=(
            "⚠️ <b>{ticket}</b>: belum ada petugas di lokasi {minutes} menit setelah "
            "diterima (target {target} menit)."
        ),
        en=(
            "⚠️ <b>{ticket}</b>: no officer on scene {minutes} min after it was received "
            "(target {target} min)."
        ),
    ),
    Text("queue_age", id="{minutes} mnt", en="{minutes} min"),
    Text("queue_outside", id="🚩 luar kota: {where}", en="🚩 outside the city: {where}"),
    Text("queue_outside_java", id="luar Pulau Jawa", en="outside Java"),
    Text("queue_empty", id="Tidak ada laporan terbuka. 👍", en="No open reports. 👍"),
    Text(
        "queue_title",
        id=(
            "<b>Antrian — {count} laporan terbuka</b> (paling mendesak dulu; di antara yang "
            "setara, pelapor terverifikasi ✅ dulu; lalu terlama)"
        ),
        en=(
            "<b>Queue — {count} open reports</b> (most urgent first; among equals, verified "
            "reporters ✅ first; then oldest)"
        ),
    ),
    Text(
        "usage_report",
        id="Pakai: <code>/laporan SMG-260327-0042</code>",
        en="Usage: <code>/laporan SMG-260327-0042</code>",
    ),
    Text("report_unknown", id="Tiket {ticket} tidak ditemukan.", en="No ticket {ticket}."),
    Text(
        "usage_unblock",
        id="Pakai: <code>/unblock &lt;user id atau @username&gt;</code>",
        en="Usage: <code>/unblock &lt;user id or @username&gt;</code>",
    ),
    Text(
        "unblocked",
        id="✅ {who} dapat melapor lagi (catatan laporan palsu dihapus).",
        en="✅ {who} can report again (strikes cleared).",
    ),
    Text("unblock_unknown", id="Pelapor {who} tidak dikenal.", en="Unknown reporter {who}."),
    # --- why a button press changed nothing (IllegalTransition codes) ---------------------
    Text("refuse_already_in_state", id="Sudah tercatat.", en="Already recorded."),
    Text(
        "refuse_already_past",
        id="Laporan sudah melewati tahap ini.",
        en="The report is already past this step.",
    ),
    Text(
        "refuse_not_delivered",
        id="Kartu laporan belum sampai di grup.",
        en="The card has not reached the group yet.",
    ),
    Text(
        "refuse_not_claimed",
        id="Ambil laporan dulu (🙋 Ambil).",
        en="Claim the report first (🙋 Claim).",
    ),
    Text(
        "refuse_already_claimed",
        id="Sudah diambil oleh {by} pukul {since}.",
        en="Already claimed by {by} at {since}.",
    ),
    Text(
        "refuse_claimed_by_other",
        id="Laporan ini ditangani {by} (sejak {since}).",
        en="This report is handled by {by} (since {since}).",
    ),
    Text(
        "refuse_not_dispatched",
        id="Kirim instansi dulu (🚒 Kirim instansi).",
        en="Dispatch an agency first (🚒 Dispatch).",
    ),
    Text(
        "refuse_agency_not_dispatched",
        id="Instansi ini tidak dikirim ke laporan ini.",
        en="This agency was not dispatched to this report.",
    ),
    Text(
        "refuse_disposition_not_allowed",
        id="Penutupan ini tidak bisa dipakai pada tahap sekarang.",
        en="That closing reason is not possible at this step.",
    ),
    Text(
        "refuse_cancel_after_dispatch",
        id="Tidak bisa dibatalkan setelah petugas dikirim.",
        en="Cannot be cancelled after officers were sent.",
    ),
    Text(
        "refuse_not_reporter",
        id="Hanya pelapor yang dapat membatalkan.",
        en="Only the reporter can cancel.",
    ),
    Text(
        "refuse_duplicate_of_self",
        id="Laporan tidak bisa menjadi duplikat dirinya sendiri.",
        en="A report cannot duplicate itself.",
    ),
    Text("refuse_report_closed", id="Laporan sudah ditutup.", en="The report is closed."),
    # --- the card: where it is ------------------------------------------------------------
    Text(
        "card_outside_city",
        id="🚩 <b>LUAR KOTA</b> — ± {km} km di luar batas Kota Semarang",
        en="🚩 <b>OUTSIDE THE CITY</b> — about {km} km beyond Semarang's boundary",
    ),
    Text(
        "card_outside_region",
        id="🚩 <b>LUAR KOTA</b> — {region}, {province} · ± {km} km di luar batas Kota Semarang",
        en="🚩 <b>OUTSIDE THE CITY</b> — {region}, {province} · about {km} km beyond Semarang's boundary",
    ),
    Text(
        "card_outside_java",
        id="🚩 <b>LUAR KOTA</b> — di luar Pulau Jawa · ± {km} km dari batas Kota Semarang",
        en="🚩 <b>OUTSIDE THE CITY</b> — outside Java · about {km} km from Semarang's boundary",
    ),
    Text("card_near_border", id="dekat batas Kec. {other}", en="near the border of Kec. {other}"),
    Text("card_live", id="lokasi langsung, diperbarui {time}", en="live, updated {time}"),
    Text("card_live_ended", id="lokasi langsung berakhir {time}", en="live location ended {time}"),
    Text("card_nearest", id="Terdekat", en="Nearest"),
    Text("card_approx_mark", id="perkiraan", en="approx."),
    # --- agencies and their officers ------------------------------------------------------
    Text("btn_officer_en_route", id="🚗 Berangkat", en="🚗 En route"),
    Text("btn_officer_on_scene", id="📍 Tiba", en="📍 On scene"),
    Text("btn_officer_backup", id="🆘 Minta bantuan", en="🆘 Need backup"),
    Text("btn_officer_done", id="✅ Selesai", en="✅ Done"),
    Text(
        "agency_card_title",
        id="📣 <b>Tugas untuk {agency}</b> dari Command Center 112",
        en="📣 <b>Assignment for {agency}</b> from the 112 Command Center",
    ),
    Text(
        "backup_already",
        id="Permintaan bantuan untuk laporan ini sudah dikirim ke grup beberapa menit lalu.",
        en="A backup request for this report was sent to the group a few minutes ago.",
    ),
    Text(
        "backup_requested",
        id="🆘 <b>{agency}</b> meminta bantuan tambahan untuk <b>{ticket}</b> ({who}).",
        en="🆘 <b>{agency}</b> requests backup for <b>{ticket}</b> ({who}).",
    ),
    Text(
        "not_officer",
        id="Tombol ini untuk petugas instansi yang ditugaskan.",
        en="This button is for officers of the assigned agency.",
    ),
    # --- the card: SOS, witnesses, anonymity ----------------------------------------------
    Text(
        "card_sos",
        id="🆘 <b>SOS</b> — lokasi dikirim dengan satu tombol",
        en="🆘 <b>SOS</b> — one-tap location",
    ),
    Text(
        "card_witness",
        id="👥 <b>Pelapor adalah saksi</b> — melaporkan untuk orang lain",
        en="👥 <b>The reporter is a witness</b> — reporting for someone else",
    ),
    Text(
        "card_anonymous",
        id="🕶 Identitas pelapor hanya untuk Command Center (tidak diteruskan ke instansi)",
        en="🕶 Reporter's identity for the command center only (not passed to agencies)",
    ),
    Text(
        "card_reporter_hidden",
        id="dirahasiakan atas permintaan pelapor — hubungi Command Center 112",
        en="withheld at the reporter's request — ask the 112 Command Center",
    ),
    # --- a busy group: digests ------------------------------------------------------------
    Text(
        "digest_title",
        id=(
            "📦 <b>{count} laporan baru</b> — grup sedang padat, kartu digabung. "
            "Tekan tiket untuk membuka kartunya."
        ),
        en=(
            "📦 <b>{count} new reports</b> — the group is busy, cards are packed. "
            "Press a ticket to open its card."
        ),
    ),
    Text("btn_expand", id="📄 Buka {ticket}", en="📄 Open {ticket}"),
    Text(
        "reminders_title",
        id="⏰ <b>{count} pengingat</b> — grup sedang padat, pengingat dan peringatan digabung:",
        en="⏰ <b>{count} reminders</b> — the group is busy, reminders and alerts combined:",
    ),
    Text(
        "relays_more",
        id="💬 <b>{count} pesan lagi</b> dari pelapor {ticket}:",
        en="💬 <b>{count} more messages</b> from the reporter of {ticket}:",
    ),
    Text("already_open", id="Kartu ini sudah dibuka.", en="This card is already open."),
    # --- the card's headings --------------------------------------------------------------
    Text("card_title", id="LAPORAN", en="REPORT"),
    Text("card_time", id="Waktu", en="Time"),
    Text("card_reporter", id="Pelapor", en="Reporter"),
    Text("card_language", id="Bahasa pelapor", en="Reporter's language"),
    Text("card_continued", id="bersambung di bawah", en="continued below"),
    Text("card_continuation", id="lanjutan keterangan", en="details continued"),
)
