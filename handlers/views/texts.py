"""Every sentence a reporter or dispatcher reads, in Bahasa Indonesia and English.

Texts are HTML (Telegram's subset): placeholders are filled with already-escaped values
by the caller (see ``handlers/render.py``). ``t(lang, key, **values)`` looks one up.
"""

from __future__ import annotations

from bot.domain.models import Language

TEXTS: dict[str, dict[Language, str]] = {
    "start": {
        "id": (
            "Halo {name}! 👋 Ini layanan laporan darurat <b>Command Center 112 Kota Semarang</b>.\n"
            "Laporan Anda langsung diteruskan ke petugas 112, 24 jam.\n\n"
            "🚨 <b>Jika nyawa terancam, segera telepon 112 juga</b> (gratis, tanpa pulsa).\n\n"
            "Tekan <b>📝 Buat laporan</b> atau ketik /lapor."
        ),
        "en": (
            "Hello {name}! 👋 This is the emergency reporting service of "
            "<b>Kota Semarang's 112 Command Center</b>.\n"
            "Your report goes straight to the 112 operators, around the clock.\n\n"
            "🚨 <b>If a life is in danger, also call 112 right away</b>"
            " (free, no credit needed).\n\n"
            "Press <b>📝 Make a report</b> or type /lapor."
        ),
    },
    "help": {
        "id": (
            "<b>Perintah</b>\n"
            "/lapor — buat laporan darurat\n"
            "/batal — batalkan laporan yang sedang dibuat\n"
            "/language — ganti bahasa (Indonesia / English)\n"
            "/start — menu utama\n\n"
            "🚨 Nyawa terancam? Telepon <b>112</b>."
        ),
        "en": (
            "<b>Commands</b>\n"
            "/lapor — make an emergency report\n"
            "/batal — cancel the report you are writing\n"
            "/language — change language (Indonesia / English)\n"
            "/start — main menu\n\n"
            "🚨 Life in danger? Call <b>112</b>."
        ),
    },
    "btn_report": {"id": "📝 Buat laporan", "en": "📝 Make a report"},
    "btn_language": {"id": "🌐 Bahasa / Language", "en": "🌐 Bahasa / Language"},
    "choose_language": {
        "id": "Pilih bahasa / Choose a language:",
        "en": "Pilih bahasa / Choose a language:",
    },
    "language_set": {
        "id": "✅ Bahasa diganti ke Bahasa Indonesia.",
        "en": "✅ Language set to English.",
    },
    "ask_category": {
        "id": "<b>Langkah 1 dari 4 — Jenis kejadian</b>\nApa yang terjadi? Pilih salah satu:",
        "en": "<b>Step 1 of 4 — What happened</b>\nChoose the kind of emergency:",
    },
    "category_chosen": {"id": "✅ Jenis: {category}", "en": "✅ Kind: {category}"},
    "ask_location": {
        "id": (
            "<b>Langkah 2 dari 4 — Lokasi</b>\n"
            "Di mana kejadiannya?\n"
            "• Tekan <b>📍 Kirim lokasi saya</b> jika Anda di tempat kejadian, atau\n"
            "• pilih titik di peta: 📎 → Lokasi, atau\n"
            "• ketik alamat / patokan (mis. <i>Simpang Lima depan Masjid Baiturrahman</i>)."
        ),
        "en": (
            "<b>Step 2 of 4 — Location</b>\n"
            "Where is it?\n"
            "• Press <b>📍 Send my location</b> if you are at the scene, or\n"
            "• pick a point on the map: 📎 → Location, or\n"
            "• type an address or landmark (e.g. <i>Simpang Lima near Baiturrahman mosque</i>)."
        ),
    },
    "btn_send_location": {"id": "📍 Kirim lokasi saya", "en": "📍 Send my location"},
    "btn_cancel": {"id": "❌ Batal", "en": "❌ Cancel"},
    "btn_skip": {"id": "⏭ Lewati", "en": "⏭ Skip"},
    "btn_continue": {"id": "➡️ Lanjut", "en": "➡️ Continue"},
    "location_ok": {
        "id": "✅ Lokasi diterima: {location}",
        "en": "✅ Location received: {location}",
    },
    "location_typed_short": {
        "id": "Alamat terlalu singkat. Tulis nama jalan, kelurahan atau patokan yang jelas, "
        "atau tekan 📍 Kirim lokasi saya.",
        "en": "That address is too short. Type a street, kelurahan or clear landmark, "
        "or press 📍 Send my location.",
    },
    "location_invalid": {
        "id": "⚠️ Lokasi itu tidak bisa dipakai (koordinat tidak valid). Coba kirim lagi.",
        "en": "⚠️ That location cannot be used (invalid coordinates). Please send it again.",
    },
    "ask_details": {
        "id": (
            "<b>Langkah 3 dari 4 — Keterangan</b>\n"
            "Ceritakan singkat: apa yang terjadi, ada korban?, patokan.\n"
            "Boleh kirim foto 📷. Tekan <b>⏭ Lewati</b> jika tidak ada."
        ),
        "en": (
            "<b>Step 3 of 4 — Details</b>\n"
            "Tell us briefly: what happened, anyone hurt?, landmarks.\n"
            "You may send photos 📷. Press <b>⏭ Skip</b> if there is nothing to add."
        ),
    },
    "attachment_added": {
        "id": "📎 {kind} diterima ({count}). Kirim lagi, tulis keterangan, atau tekan ➡️ Lanjut.",
        "en": "📎 {kind} received ({count}). Send more, write details, or press ➡️ Continue.",
    },
    "attachment_kept": {
        "id": "📎 {kind} disimpan untuk laporan ini.",
        "en": "📎 {kind} kept for this report.",
    },
    "attachment_limit": {
        "id": "Batas {limit} lampiran tercapai; lampiran ini tidak ditambahkan.",
        "en": "The limit of {limit} attachments is reached; this one was not added.",
    },
    "ask_phone": {
        "id": (
            "<b>Langkah 4 dari 4 — Nomor telepon</b> (boleh dilewati)\n"
            "Agar petugas bisa menelepon balik, tekan <b>📞 Bagikan nomor saya</b> "
            "atau ketik nomor (mis. 0812 3456 7890)."
        ),
        "en": (
            "<b>Step 4 of 4 — Phone number</b> (optional)\n"
            "So officers can call you back, press <b>📞 Share my number</b> "
            "or type a number (e.g. 0812 3456 7890)."
        ),
    },
    "btn_share_phone": {"id": "📞 Bagikan nomor saya", "en": "📞 Share my number"},
    "phone_invalid": {
        "id": "Nomor itu tidak valid. Contoh: <code>0812 3456 7890</code> atau "
        "<code>+62 812 3456 7890</code>. Atau tekan ⏭ Lewati.",
        "en": "That number is not valid. Example: <code>0812 3456 7890</code> or "
        "<code>+62 812 3456 7890</code>. Or press ⏭ Skip.",
    },
    "details_ok": {"id": "✅ Keterangan disimpan.", "en": "✅ Details saved."},
    "phone_ok": {"id": "✅ Nomor: {phone}", "en": "✅ Number: {phone}"},
    "phone_skipped": {"id": "✅ Tanpa nomor telepon.", "en": "✅ No phone number."},
    "summary": {
        "id": "<b>Periksa laporan Anda</b>\n\n{body}\n\nSudah benar? Tekan <b>✅ Kirim</b>.",
        "en": "<b>Check your report</b>\n\n{body}\n\nAll correct? Press <b>✅ Send</b>.",
    },
    "btn_send": {"id": "✅ Kirim", "en": "✅ Send"},
    "btn_edit": {"id": "✏️ Ubah", "en": "✏️ Edit"},
    "btn_back": {"id": "« Kembali", "en": "« Back"},
    "edit_which": {
        "id": "Bagian mana yang ingin diubah?",
        "en": "Which part do you want to change?",
    },
    "field_category": {"id": "Jenis", "en": "Kind"},
    "field_location": {"id": "Lokasi", "en": "Location"},
    "field_details": {"id": "Keterangan", "en": "Details"},
    "field_phone": {"id": "Telepon", "en": "Phone"},
    "field_attachments": {"id": "Lampiran", "en": "Attachments"},
    "none": {"id": "—", "en": "—"},
    "sent": {
        "id": "✅ <b>Laporan terkirim.</b> Nomor tiket: <code>{ticket}</code>",
        "en": "✅ <b>Report sent.</b> Ticket number: <code>{ticket}</code>",
    },
    "already_sent": {
        "id": "Laporan ini sudah terkirim: <code>{ticket}</code>",
        "en": "This report was already sent: <code>{ticket}</code>",
    },
    "receipt": {
        "id": (
            "📨 Laporan <code>{ticket}</code> <b>diterima</b> Command Center 112 Kota Semarang.\n"
            "Petugas akan segera menindaklanjuti; kabar berikutnya dikirim di chat ini.\n"
            "🚨 Jika keadaan memburuk atau nyawa terancam, telepon <b>112</b>."
        ),
        "en": (
            "📨 Report <code>{ticket}</code> <b>received</b> by Kota Semarang's 112 Command "
            "Center.\nOfficers will act on it; updates will come in this chat.\n"
            "🚨 If things get worse or a life is in danger, call <b>112</b>."
        ),
    },
    "cancelled": {
        "id": "Laporan dibatalkan. Tidak ada yang dikirim. Tekan /lapor untuk mulai lagi.",
        "en": "Report cancelled. Nothing was sent. Press /lapor to start again.",
    },
    "nothing_to_cancel": {
        "id": "Tidak ada laporan yang sedang dibuat. Tekan /lapor untuk membuat laporan.",
        "en": "You are not writing a report. Press /lapor to make one.",
    },
    "no_draft": {
        "id": "Untuk melapor keadaan darurat, tekan /lapor. 🚨 Nyawa terancam? Telepon 112.",
        "en": "To report an emergency, press /lapor. 🚨 Life in danger? Call 112.",
    },
    "in_progress": {
        "id": "Anda sedang membuat laporan — kita lanjutkan dari langkah terakhir "
        "(atau /batal untuk membatalkan).",
        "en": "You are in the middle of a report — let's continue where you left off "
        "(or /batal to cancel).",
    },
    "draft_expired": {
        "id": "Laporan yang belum dikirim sudah kedaluwarsa (tidak aktif {minutes} menit) "
        "dan dihapus. Tekan /lapor untuk mulai lagi. 🚨 Darurat? Telepon 112.",
        "en": "Your unsent report expired (idle for {minutes} minutes) and was removed. "
        "Press /lapor to start again. 🚨 Emergency? Call 112.",
    },
    "unexpected": {
        "id": "Maaf, {what} tidak bisa dipakai di langkah ini.",
        "en": "Sorry, {what} cannot be used at this step.",
    },
    "unknown_command": {
        "id": "Perintah tidak dikenal.",
        "en": "Unknown command.",
    },
    "stale_button": {
        "id": "Tombol ini sudah tidak berlaku.",
        "en": "This button is no longer valid.",
    },
    "private_only": {
        "id": "Laporan dibuat lewat chat pribadi dengan bot: {link}",
        "en": "Reports are made in a private chat with the bot: {link}",
    },
    "chat_id": {
        "id": "ID chat ini: <code>{chat_id}</code> ({kind})",
        "en": "This chat's id: <code>{chat_id}</code> ({kind})",
    },
    "error": {
        "id": "⚠️ Maaf, terjadi gangguan. Jawaban Anda yang sudah tersimpan tidak hilang; "
        "silakan coba lagi. 🚨 Darurat? Telepon 112.",
        "en": "⚠️ Sorry, something went wrong. What you already entered is kept; please try "
        "again. 🚨 Emergency? Call 112.",
    },
    "what_sticker": {"id": "stiker", "en": "a sticker"},
    "what_voice": {"id": "pesan suara", "en": "a voice message"},
    "what_video": {"id": "video", "en": "a video"},
    "what_document": {"id": "dokumen", "en": "a document"},
    "what_photo": {"id": "foto", "en": "a photo"},
    "what_poll": {"id": "polling", "en": "a poll"},
    "what_contact": {"id": "kontak", "en": "a contact"},
    "what_location": {"id": "lokasi", "en": "a location"},
    "what_text": {"id": "teks", "en": "text"},
    "what_other": {"id": "pesan seperti ini", "en": "this kind of message"},
    "kind_photo": {"id": "Foto", "en": "Photo"},
    "kind_voice": {"id": "Pesan suara", "en": "Voice message"},
    "kind_video": {"id": "Video", "en": "Video"},
    "kind_video_note": {"id": "Video bulat", "en": "Video note"},
    "kind_document": {"id": "Dokumen", "en": "Document"},
}


def t(lang: Language, key: str, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``values`` filled in."""
    text = TEXTS[key][lang]
    return text.format(**values) if values else text


def all_variants(key: str) -> set[str]:
    """A button's text in every language (a reply-keyboard press arrives as plain text)."""
    return set(TEXTS[key].values())


# Dispatcher workflow: what reporters are told, and what the group sees.
TEXTS.update(
    {
        "notice_claimed": {
            "id": "👮 Laporan <code>{ticket}</code> <b>sedang ditangani</b> petugas 112.",
            "en": "👮 Report <code>{ticket}</code> <b>is being handled</b> by a 112 operator.",
        },
        "notice_dispatched": {
            "id": "🚒 Laporan <code>{ticket}</code>: <b>{agency}</b> sudah diminta ke lokasi.",
            "en": "🚒 Report <code>{ticket}</code>: <b>{agency}</b> has been sent to the scene.",
        },
        "notice_en_route": {
            "id": "🚗 Petugas <b>sedang menuju lokasi</b> (<code>{ticket}</code>).",
            "en": "🚗 Officers are <b>on their way</b> (<code>{ticket}</code>).",
        },
        "notice_on_scene": {
            "id": "📍 Petugas <b>sudah tiba di lokasi</b> (<code>{ticket}</code>).",
            "en": "📍 Officers <b>have arrived</b> (<code>{ticket}</code>).",
        },
        "notice_closed": {
            "id": "✅ Laporan <code>{ticket}</code> ditutup: {disposition}",
            "en": "✅ Report <code>{ticket}</code> closed: {disposition}",
        },
        "notice_strikes_left": {
            "id": "⚠️ Laporan palsu menghambat pertolongan bagi yang membutuhkan. "
            "Sisa peringatan: {left}.",
            "en": "⚠️ False reports keep help from people who need it. Warnings left: {left}.",
        },
        "notice_blocked": {
            "id": "⛔ Karena {strikes} laporan palsu, Anda tidak dapat lagi membuat laporan "
            "melalui bot ini. Untuk keadaan darurat yang sebenarnya, telepon <b>112</b>.",
            "en": "⛔ After {strikes} false reports you can no longer file reports through this "
            "bot. For a real emergency, call <b>112</b>.",
        },
        "blocked": {
            "id": "⛔ Anda tidak dapat membuat laporan baru melalui bot ini karena laporan palsu "
            "sebelumnya. Untuk keadaan darurat yang sebenarnya, telepon <b>112</b>.",
            "en": "⛔ You cannot file new reports through this bot because of earlier false "
            "reports. For a real emergency, call <b>112</b>.",
        },
        "disp_resolved": {"id": "sudah ditangani.", "en": "handled."},
        "disp_duplicate": {
            "id": "sama dengan laporan <code>{other}</code> yang sedang ditangani.",
            "en": "same as report <code>{other}</code>, which is being handled.",
        },
        "disp_transferred": {"id": "dialihkan ke {target}.", "en": "transferred to {target}."},
        "disp_cancelled_by_reporter": {
            "id": "dibatalkan atas permintaan Anda.",
            "en": "cancelled at your request.",
        },
        "disp_false_alarm": {
            "id": "petugas tidak menemukan keadaan darurat.",
            "en": "officers found no emergency.",
        },
        "disp_prank": {
            "id": "dinilai sebagai laporan palsu.",
            "en": "judged to be a false report.",
        },
        "disp_no_further_action": {
            "id": "tidak memerlukan tindakan lebih lanjut.",
            "en": "no further action is needed.",
        },
        "relay_from_dispatch": {
            "id": "💬 <b>Petugas 112</b> (<code>{ticket}</code>):\n{text}",
            "en": "💬 <b>112 operator</b> (<code>{ticket}</code>):\n{text}",
        },
        "relay_from_reporter": {
            "id": "💬 <b>Pelapor</b> {ticket}:\n{text}",
            "en": "💬 <b>Reporter</b> {ticket}:\n{text}",
        },
        "relayed": {
            "id": "✉️ Pesan diteruskan ke petugas (<code>{ticket}</code>).",
            "en": "✉️ Message passed to the operators (<code>{ticket}</code>).",
        },
        "status_none": {
            "id": "Anda belum pernah membuat laporan. Tekan /lapor untuk melapor.",
            "en": "You have not made any reports. Press /lapor to make one.",
        },
        "status_title": {"id": "<b>Laporan Anda</b>", "en": "<b>Your reports</b>"},
        "btn_cancel_report": {"id": "Batalkan {ticket}", "en": "Cancel {ticket}"},
        "cancel_refused": {
            "id": "Laporan ini tidak bisa dibatalkan lagi (petugas sudah dikirim). "
            "Hubungi 112 bila perlu.",
            "en": "This report can no longer be cancelled (officers were sent). "
            "Call 112 if needed.",
        },
        "group_reporter_cancelled": {
            "id": "↩️ Pelapor membatalkan laporan {ticket}.",
            "en": "↩️ The reporter cancelled {ticket}.",
        },
        "state_received": {"id": "🔴 BARU — belum diambil", "en": "🔴 NEW — unclaimed"},
        "state_claimed": {"id": "🟠 DIAMBIL — {who}", "en": "🟠 CLAIMED — {who}"},
        "state_dispatched": {"id": "🟡 DIKIRIM — {agency}", "en": "🟡 DISPATCHED — {agency}"},
        "state_en_route": {"id": "🔵 MENUJU LOKASI — {agency}", "en": "🔵 EN ROUTE — {agency}"},
        "state_on_scene": {"id": "🟢 DI LOKASI — {agency}", "en": "🟢 ON SCENE — {agency}"},
        "state_closed": {"id": "⚫ DITUTUP — {disposition}", "en": "⚫ CLOSED — {disposition}"},
        "dname_resolved": {"id": "selesai", "en": "resolved"},
        "dname_duplicate": {"id": "duplikat {other}", "en": "duplicate of {other}"},
        "dname_transferred": {"id": "dialihkan ke {target}", "en": "transferred to {target}"},
        "dname_cancelled_by_reporter": {
            "id": "dibatalkan pelapor",
            "en": "cancelled by the reporter",
        },
        "dname_false_alarm": {"id": "alarm palsu", "en": "false alarm"},
        "dname_prank": {"id": "laporan iseng/palsu", "en": "prank"},
        "dname_no_further_action": {"id": "tanpa tindak lanjut", "en": "no further action"},
        "card_status": {"id": "Status", "en": "Status"},
        "card_agency": {"id": "Instansi", "en": "Agency"},
        "card_suggested": {"id": "Saran instansi", "en": "Suggested agency"},
        "card_elapsed": {
            "id": "⏱ {minutes} menit sejak diterima",
            "en": "⏱ {minutes} min since received",
        },
        "card_overdue": {
            "id": "⚠️ <b>{minutes} menit — melewati target {target} menit!</b>",
            "en": "⚠️ <b>{minutes} min — past the {target}-minute target!</b>",
        },
        "card_response": {
            "id": "⏱ Waktu respons: {minutes} menit",
            "en": "⏱ Response time: {minutes} min",
        },
        "card_possible_duplicate": {
            "id": "⚠️ <b>Mungkin duplikat dari {other}</b>",
            "en": "⚠️ <b>Possible duplicate of {other}</b>",
        },
        "card_strikes": {
            "id": "⚠️ Pelapor punya {strikes} catatan laporan palsu",
            "en": "⚠️ Reporter has {strikes} false-report strike(s)",
        },
        "card_timeline": {"id": "Riwayat", "en": "Timeline"},
        "ev_submitted": {"id": "dikirim pelapor", "en": "sent by reporter"},
        "ev_card_delivered": {"id": "diterima di grup", "en": "received in the group"},
        "ev_claimed": {"id": "diambil {who}", "en": "claimed by {who}"},
        "ev_reassigned": {"id": "dialihkan ke {who}", "en": "handed over to {who}"},
        "ev_dispatched": {"id": "dikirim ke {agency}", "en": "dispatched to {agency}"},
        "ev_dispatch_added": {"id": "tambahan: {agency}", "en": "added: {agency}"},
        "ev_en_route": {"id": "menuju lokasi", "en": "en route"},
        "ev_on_scene": {"id": "tiba di lokasi", "en": "on scene"},
        "ev_closed": {"id": "ditutup: {disposition}", "en": "closed: {disposition}"},
        "ev_alert": {"id": "pengingat", "en": "reminder"},
        "btn_claim": {"id": "🙋 Ambil", "en": "🙋 Claim"},
        "btn_dispatch": {"id": "🚒 Kirim instansi", "en": "🚒 Dispatch"},
        "btn_en_route": {"id": "🚗 Menuju lokasi", "en": "🚗 En route"},
        "btn_on_scene": {"id": "📍 Tiba di lokasi", "en": "📍 On scene"},
        "btn_resolve": {"id": "✅ Selesai", "en": "✅ Resolved"},
        "btn_close": {"id": "🗂 Tutup…", "en": "🗂 Close…"},
        "btn_dup": {"id": "🔁 Duplikat {other}", "en": "🔁 Duplicate of {other}"},
        "btn_lapor": {"id": "➡️ Alihkan ke LAPOR!", "en": "➡️ Transfer to LAPOR!"},
        "btn_false_alarm": {"id": "🚫 Alarm palsu", "en": "🚫 False alarm"},
        "btn_prank": {"id": "🤡 Iseng/palsu", "en": "🤡 Prank"},
        "btn_nfa": {"id": "➖ Tanpa tindak lanjut", "en": "➖ No further action"},
        "not_dispatcher": {
            "id": "Hanya dispatcher (admin grup atau yang terdaftar) yang dapat memproses laporan.",
            "en": "Only dispatchers (group admins or listed users) can act on reports.",
        },
        "done": {"id": "✅ Tercatat", "en": "✅ Recorded"},
        "alert_unclaimed": {
            "id": "⏰ <b>{ticket}</b> belum diambil sejak {minutes} menit. Mohon segera diambil.",
            "en": "⏰ <b>{ticket}</b> unclaimed for {minutes} min. Please claim it.",
        },
        "alert_overdue": {
            "id": "⚠️ <b>{ticket}</b>: belum ada petugas di lokasi {minutes} menit setelah "
            "diterima (target {target} menit).",
            "en": "⚠️ <b>{ticket}</b>: no officer on scene {minutes} min after it was received "
            "(target {target} min).",
        },
        "queue_empty": {"id": "Tidak ada laporan terbuka. 👍", "en": "No open reports. 👍"},
        "queue_title": {
            "id": "<b>Antrian — {count} laporan terbuka</b> (terlama dulu)",
            "en": "<b>Queue — {count} open reports</b> (oldest first)",
        },
        "usage_report": {
            "id": "Pakai: <code>/laporan SMG-260327-0042</code>",
            "en": "Usage: <code>/laporan SMG-260327-0042</code>",
        },
        "report_unknown": {"id": "Tiket {ticket} tidak ditemukan.", "en": "No ticket {ticket}."},
        "usage_unblock": {
            "id": "Pakai: <code>/unblock &lt;user id atau @username&gt;</code>",
            "en": "Usage: <code>/unblock &lt;user id or @username&gt;</code>",
        },
        "unblocked": {
            "id": "✅ {who} dapat melapor lagi (catatan laporan palsu dihapus).",
            "en": "✅ {who} can report again (strikes cleared).",
        },
        "unblock_unknown": {"id": "Pelapor {who} tidak dikenal.", "en": "Unknown reporter {who}."},
        "you_are_unblocked": {
            "id": "✅ Anda dapat kembali membuat laporan melalui bot ini.",
            "en": "✅ You can file reports through this bot again.",
        },
    }
)

# Why a button press changed nothing (codes of bot.domain.lifecycle.IllegalTransition).
TEXTS.update(
    {
        "refuse_already_in_state": {"id": "Sudah tercatat.", "en": "Already recorded."},
        "refuse_already_past": {
            "id": "Laporan sudah melewati tahap ini.",
            "en": "The report is already past this step.",
        },
        "refuse_not_delivered": {
            "id": "Kartu laporan belum sampai di grup.",
            "en": "The card has not reached the group yet.",
        },
        "refuse_not_claimed": {
            "id": "Ambil laporan dulu (🙋 Ambil).",
            "en": "Claim the report first (🙋 Claim).",
        },
        "refuse_already_claimed": {
            "id": "Sudah diambil oleh {by} pukul {since}.",
            "en": "Already claimed by {by} at {since}.",
        },
        "refuse_claimed_by_other": {
            "id": "Laporan ini ditangani {by} (sejak {since}).",
            "en": "This report is handled by {by} (since {since}).",
        },
        "refuse_not_dispatched": {
            "id": "Kirim instansi dulu (🚒 Kirim instansi).",
            "en": "Dispatch an agency first (🚒 Dispatch).",
        },
        "refuse_agency_not_dispatched": {
            "id": "Instansi ini tidak dikirim ke laporan ini.",
            "en": "This agency was not dispatched to this report.",
        },
        "refuse_disposition_not_allowed": {
            "id": "Penutupan ini tidak bisa dipakai pada tahap sekarang.",
            "en": "That closing reason is not possible at this step.",
        },
        "refuse_cancel_after_dispatch": {
            "id": "Tidak bisa dibatalkan setelah petugas dikirim.",
            "en": "Cannot be cancelled after officers were sent.",
        },
        "refuse_not_reporter": {
            "id": "Hanya pelapor yang dapat membatalkan.",
            "en": "Only the reporter can cancel.",
        },
        "refuse_duplicate_of_self": {
            "id": "Laporan tidak bisa menjadi duplikat dirinya sendiri.",
            "en": "A report cannot duplicate itself.",
        },
        "refuse_report_closed": {"id": "Laporan sudah ditutup.", "en": "The report is closed."},
    }
)

# Where is it: areas, travellers outside the city, typed places.
TEXTS.update(
    {
        "outside_city": {
            "id": "⚠️ Lokasi ini <b>di luar Kota Semarang</b> (± {km} km dari batas kota). "
            "Laporan tetap kami teruskan ke Command Center 112 Kota Semarang untuk "
            "dikoordinasikan dengan daerah setempat. Nomor <b>112</b> berlaku di seluruh "
            "Indonesia — untuk keadaan darurat, telepon 112 sekarang.",
            "en": "⚠️ This place is <b>outside Kota Semarang</b> (about {km} km beyond the city "
            "line). We still pass your report to Semarang's 112 Command Center to coordinate "
            "with the local area. <b>112</b> works everywhere in Indonesia — in an emergency, "
            "call 112 now.",
        },
        "place_pick": {
            "id": "📍 Maksud Anda salah satu tempat ini? Pilih yang paling cocok:",
            "en": "📍 Did you mean one of these places? Pick the closest match:",
        },
        "place_none_of_these": {"id": "✏️ Bukan, pilih kecamatan", "en": "✏️ None, pick a kecamatan"},
        "kecamatan_pick": {
            "id": "Di kecamatan mana? Alamat yang Anda ketik (<i>{text}</i>) tetap kami kirim "
            "sebagai patokan.",
            "en": "Which kecamatan? What you typed (<i>{text}</i>) is kept as the landmark.",
        },
        "kecamatan_unknown": {"id": "❓ Tidak tahu", "en": "❓ Don't know"},
        "geocoder_busy": {
            "id": "Pencarian alamat sedang tidak tersedia.",
            "en": "Address search is not available right now.",
        },
        "card_outside_city": {
            "id": "🚩 <b>LUAR KOTA</b> — ± {km} km di luar batas Kota Semarang",
            "en": "🚩 <b>OUTSIDE THE CITY</b> — about {km} km beyond Semarang's boundary",
        },
        "card_near_border": {
            "id": "dekat batas Kec. {other}",
            "en": "near the border of Kec. {other}",
        },
        "card_live": {"id": "lokasi langsung, diperbarui {time}", "en": "live, updated {time}"},
        "card_live_ended": {
            "id": "lokasi langsung berakhir {time}",
            "en": "live location ended {time}",
        },
        "card_approximate": {"id": "titik perkiraan", "en": "approximate point"},
        "card_nearest": {"id": "Terdekat", "en": "Nearest"},
        "card_approx_mark": {"id": "perkiraan", "en": "approx."},
        "btn_officer_en_route": {"id": "🚗 Berangkat", "en": "🚗 En route"},
        "btn_officer_on_scene": {"id": "📍 Tiba", "en": "📍 On scene"},
        "btn_officer_backup": {"id": "🆘 Minta bantuan", "en": "🆘 Need backup"},
        "btn_officer_done": {"id": "✅ Selesai", "en": "✅ Done"},
        "agency_card_title": {
            "id": "📣 <b>Tugas untuk {agency}</b> dari Command Center 112",
            "en": "📣 <b>Assignment for {agency}</b> from the 112 Command Center",
        },
        "backup_requested": {
            "id": "🆘 <b>{agency}</b> meminta bantuan tambahan untuk <b>{ticket}</b> ({who}).",
            "en": "🆘 <b>{agency}</b> requests backup for <b>{ticket}</b> ({who}).",
        },
        "not_officer": {
            "id": "Tombol ini untuk petugas instansi yang ditugaskan.",
            "en": "This button is for officers of the assigned agency.",
        },
    }
)

# Seconds matter: the SOS path, witnesses, anonymity.
TEXTS.update(
    {
        "btn_sos": {
            "id": "🆘 Darurat — kirim lokasi sekarang",
            "en": "🆘 Emergency — send location now",
        },
        "sos_hint": {
            "id": "🆘 Keadaan darurat? Tekan <b>🆘 Darurat — kirim lokasi sekarang</b>: lokasi Anda "
            "langsung sampai ke petugas, pertanyaan menyusul.",
            "en": "🆘 Emergency? Press <b>🆘 Emergency — send location now</b>: your location reaches "
            "the operators at once, questions come after.",
        },
        "sos_receipt": {
            "id": "🆘 <b>Lokasi Anda sudah diterima petugas 112</b> (<code>{ticket}</code>). "
            "Bila bisa, telepon <b>112</b>.\n\nJawab pertanyaan berikut bila sempat — "
            "semuanya boleh dilewati.\n\n<b>Apa yang terjadi?</b>",
            "en": "🆘 <b>Your location has reached the 112 operators</b> (<code>{ticket}</code>). "
            "If you can, call <b>112</b>.\n\nAnswer the questions below if you can — each may "
            "be skipped.\n\n<b>What happened?</b>",
        },
        "sos_ask_details": {
            "id": "<b>Ceritakan singkat</b> (tulis, atau kirim pesan suara 🎤). Boleh dilewati.",
            "en": "<b>Tell us briefly</b> (type, or send a voice note 🎤). You may skip.",
        },
        "sos_ask_photo": {
            "id": "<b>Ada foto?</b> Kirim foto 📷 bila aman. Boleh dilewati.",
            "en": "<b>A photo?</b> Send one 📷 if it is safe. You may skip.",
        },
        "sos_ask_phone": {
            "id": "<b>Nomor untuk dihubungi balik?</b> Tekan 📞 atau ketik nomor. Boleh dilewati.",
            "en": "<b>A number to call you back?</b> Press 📞 or type one. You may skip.",
        },
        "sos_done": {
            "id": "✅ Terima kasih. Semua jawaban sudah diteruskan ke petugas (<code>{ticket}</code>). "
            "Pesan berikutnya di chat ini juga akan sampai ke mereka.",
            "en": "✅ Thank you. Everything has been passed to the operators (<code>{ticket}</code>). "
            "Further messages in this chat reach them too.",
        },
        "sos_kept": {"id": "✅ Diteruskan ke petugas.", "en": "✅ Passed to the operators."},
        "btn_for_someone_else": {
            "id": "👥 Ini untuk orang lain",
            "en": "👥 This is for someone else",
        },
        "btn_toggle_witness": {
            "id": "👥 Untuk orang lain: {value}",
            "en": "👥 For someone else: {value}",
        },
        "btn_toggle_anonymous": {
            "id": "🕶 Rahasiakan identitas dari instansi: {value}",
            "en": "🕶 Hide my identity from agencies: {value}",
        },
        "yes": {"id": "Ya", "en": "Yes"},
        "no": {"id": "Tidak", "en": "No"},
        "field_witness": {"id": "Untuk orang lain", "en": "For someone else"},
        "field_anonymous": {"id": "Identitas untuk instansi", "en": "Identity for agencies"},
        "anonymous_on": {
            "id": "dirahasiakan (hanya Command Center)",
            "en": "hidden (command center only)",
        },
        "anonymous_off": {"id": "ditampilkan", "en": "shown"},
        "card_sos": {
            "id": "🆘 <b>SOS</b> — lokasi dikirim dengan satu tombol",
            "en": "🆘 <b>SOS</b> — one-tap location",
        },
        "card_witness": {
            "id": "👥 <b>Pelapor adalah saksi</b> — melaporkan untuk orang lain",
            "en": "👥 <b>The reporter is a witness</b> — reporting for someone else",
        },
        "card_anonymous": {
            "id": "🕶 Identitas pelapor hanya untuk Command Center (tidak diteruskan ke instansi)",
            "en": "🕶 Reporter's identity for the command center only (not passed to agencies)",
        },
        "card_reporter_hidden": {
            "id": "dirahasiakan atas permintaan pelapor — hubungi Command Center 112",
            "en": "withheld at the reporter's request — ask the 112 Command Center",
        },
        "card_other_open": {
            "id": "ℹ️ Pelapor juga punya laporan terbuka {other}",
            "en": "ℹ️ The reporter also has open report {other}",
        },
    }
)

TEXTS.update(
    {
        "rate_limited": {
            "id": "⏳ Anda sudah mengirim {count} laporan dalam {minutes} menit terakhir. "
            "Laporan yang sudah terkirim sedang ditangani — untuk menambah keterangan, cukup "
            "tulis di chat ini. 🚨 Darurat baru? Telepon <b>112</b>.",
            "en": "⏳ You have sent {count} reports in the last {minutes} minutes. Those are "
            "being handled — to add information, just write in this chat. 🚨 A new emergency? "
            "Call <b>112</b>.",
        },
    }
)

TEXTS.update(
    {
        "digest_title": {
            "id": "📦 <b>{count} laporan baru</b> — grup sedang padat, kartu digabung. "
            "Tekan tiket untuk membuka kartunya.",
            "en": "📦 <b>{count} new reports</b> — the group is busy, cards are packed. "
            "Press a ticket to open its card.",
        },
        "btn_expand": {"id": "📄 Buka {ticket}", "en": "📄 Open {ticket}"},
        "already_open": {"id": "Kartu ini sudah dibuka.", "en": "This card is already open."},
    }
)
