"""What reporters read: the report steps, SOS, receipts and notices, status, ratings.

Telegram HTML; placeholders are filled with already-escaped values by the caller.
"""

from __future__ import annotations

from typing import Final

from handlers.views.texts.catalogue import Text

TEXTS: Final[tuple[Text, ...]] = (
    # --- start, help, language ------------------------------------------------------------
    Text(
        "start",
        id=(
            "Halo {name}! 👋 Ini layanan laporan darurat <b>Command Center 112 Kota Semarang</b>.\n"
            "Laporan Anda langsung diteruskan ke petugas 112, 24 jam.\n\n"
            "🚨 <b>Jika nyawa terancam, segera telepon 112 juga</b> (gratis, tanpa pulsa).\n\n"
            "Tekan <b>📝 Buat laporan</b> atau ketik /lapor."
        ),
        en=(
            "Hello {name}! 👋 This is the emergency reporting service of "
            "<b>Kota Semarang's 112 Command Center</b>.\n"
            "Your report goes straight to the 112 operators, around the clock.\n\n"
            "🚨 <b>If a life is in danger, also call 112 right away</b>"
            " (free, no credit needed).\n\n"
            "Press <b>📝 Make a report</b> or type /lapor."
        ),
    ),
    Text(
        "help",
        id=(
            "<b>Perintah</b>\n"
            "/lapor — buat laporan darurat\n"
            "/batal — batalkan laporan yang sedang dibuat\n"
            "/status — laporan Anda dan statusnya\n"
            "/language — ganti bahasa (Indonesia / English)\n"
            "/start — menu utama\n\n"
            "🚨 Nyawa terancam? Telepon <b>112</b>."
        ),
        en=(
            "<b>Commands</b>\n"
            "/lapor — make an emergency report\n"
            "/batal — cancel the report you are writing\n"
            "/status — your reports and where they stand\n"
            "/language — change language (Indonesia / English)\n"
            "/start — main menu\n\n"
            "🚨 Life in danger? Call <b>112</b>."
        ),
    ),
    Text("btn_report", id="📝 Buat laporan", en="📝 Make a report"),
    Text("btn_language", id="🌐 Bahasa / Language", en="🌐 Bahasa / Language"),
    Text(
        "choose_language",
        id="Pilih bahasa / Choose a language:",
        en="Pilih bahasa / Choose a language:",
    ),
    Text(
        "language_set",
        id="✅ Bahasa diganti ke Bahasa Indonesia.",
        en="✅ Language set to English.",
    ),
    # --- the four steps of a report -------------------------------------------------------
    Text(
        "ask_category",
        id="<b>Langkah 1 dari 4 — Jenis kejadian</b>\nApa yang terjadi? Pilih salah satu:",
        en="<b>Step 1 of 4 — What happened</b>\nChoose the kind of emergency:",
    ),
    Text("category_chosen", id="✅ Jenis: {category}", en="✅ Kind: {category}"),
    Text(
        "ask_location",
        id=(
            "<b>Langkah 2 dari 4 — Lokasi</b>\n"
            "Di mana kejadiannya?\n"
            "• Tekan <b>📍 Kirim lokasi saya</b> jika Anda di tempat kejadian, atau\n"
            "• pilih titik di peta: 📎 → Lokasi, atau\n"
            "• ketik alamat / patokan (mis. <i>Simpang Lima depan Masjid Baiturrahman</i>)."
        ),
        en=(
            "<b>Step 2 of 4 — Location</b>\n"
            "Where is it?\n"
            "• Press <b>📍 Send my location</b> if you are at the scene, or\n"
            "• pick a point on the map: 📎 → Location, or\n"
            "• type an address or landmark (e.g. <i>Simpang Lima near Baiturrahman mosque</i>)."
        ),
    ),
    Text("btn_send_location", id="📍 Kirim lokasi saya", en="📍 Send my location"),
    Text("btn_cancel", id="❌ Batal", en="❌ Cancel"),
    Text("btn_skip", id="⏭ Lewati", en="⏭ Skip"),
    Text("btn_continue", id="➡️ Lanjut", en="➡️ Continue"),
    Text("location_ok", id="✅ Lokasi diterima: {location}", en="✅ Location received: {location}"),
    Text(
        "location_typed_short",
        id=(
            "Alamat terlalu singkat. Tulis nama jalan, kelurahan atau patokan yang jelas, "
            "atau tekan 📍 Kirim lokasi saya."
        ),
        en=(
            "That address is too short. Type a street, kelurahan or clear landmark, "
            "or press 📍 Send my location."
        ),
    ),
    Text(
        "location_invalid",
        id="⚠️ Lokasi itu tidak bisa dipakai (koordinat tidak valid). Coba kirim lagi.",
        en="⚠️ That location cannot be used (invalid coordinates). Please send it again.",
    ),
    Text(
        "ask_details",
        id=(
            "<b>Langkah 3 dari 4 — Keterangan</b>\n"
            "Ceritakan singkat: apa yang terjadi, ada korban?, patokan.\n"
            "Boleh kirim foto 📷. Tekan <b>⏭ Lewati</b> jika tidak ada."
        ),
        en=(
            "<b>Step 3 of 4 — Details</b>\n"
            "Tell us briefly: what happened, anyone hurt?, landmarks.\n"
            "You may send photos 📷. Press <b>⏭ Skip</b> if there is nothing to add."
        ),
    ),
    Text(
        "attachment_added",
        id="📎 {kind} diterima ({count}). Kirim lagi, tulis keterangan, atau tekan ➡️ Lanjut.",
        en="📎 {kind} received ({count}). Send more, write details, or press ➡️ Continue.",
    ),
    Text(
        "album_added",
        id="📎 Album diterima: foto-fotonya disimpan bersama laporan (paling banyak {limit}"
        " lampiran per laporan).",
        en="📎 Album received: its photos are kept with the report (at most {limit}"
        " attachments per report).",
    ),
    Text(
        "attachment_limit",
        id="Batas {limit} lampiran tercapai; lampiran ini tidak ditambahkan.",
        en="The limit of {limit} attachments is reached; this one was not added.",
    ),
    Text(
        "ask_phone",
        id=(
            "<b>Langkah 4 dari 4 — Nomor telepon</b> (boleh dilewati)\n"
            "Agar petugas bisa menelepon balik, tekan <b>📞 Bagikan nomor saya</b> "
            "atau ketik nomor (mis. 0812 3456 7890)."
        ),
        en=(
            "<b>Step 4 of 4 — Phone number</b> (optional)\n"
            "So officers can call you back, press <b>📞 Share my number</b> "
            "or type a number (e.g. 0812 3456 7890)."
        ),
    ),
    Text("btn_share_phone", id="📞 Bagikan nomor saya", en="📞 Share my number"),
    Text(
        "phone_invalid",
        id=(
            "Nomor itu tidak valid. Contoh: <code>0812 3456 7890</code> atau "
            "<code>+62 812 3456 7890</code>. Atau tekan ⏭ Lewati."
        ),
        en=(
            "That number is not valid. Example: <code>0812 3456 7890</code> or "
            "<code>+62 812 3456 7890</code>. Or press ⏭ Skip."
        ),
    ),
    Text("details_ok", id="✅ Keterangan disimpan.", en="✅ Details saved."),
    Text("phone_ok", id="✅ Nomor: {phone}", en="✅ Number: {phone}"),
    Text("phone_skipped", id="✅ Tanpa nomor telepon.", en="✅ No phone number."),
    # --- check and send -------------------------------------------------------------------
    Text(
        "draft_summary",
        id="<b>Periksa laporan Anda</b>\n\n{body}\n\nSudah benar? Tekan <b>✅ Kirim</b>.",
        en="<b>Check your report</b>\n\n{body}\n\nAll correct? Press <b>✅ Send</b>.",
    ),
    Text("btn_send", id="✅ Kirim", en="✅ Send"),
    Text("btn_edit", id="✏️ Ubah", en="✏️ Edit"),
    Text("btn_back", id="« Kembali", en="« Back"),
    Text(
        "sent",
        id="✅ <b>Laporan terkirim.</b> Nomor tiket: <code>{ticket}</code>\n"
        "Anda dikabari begitu laporan tampil di grup petugas Command Center.",
        en="✅ <b>Report sent.</b> Ticket number: <code>{ticket}</code>\n"
        "You will be told as soon as it is on the Command Center operators' screen.",
    ),
    Text(
        "already_sent",
        id="Laporan ini sudah terkirim: <code>{ticket}</code>",
        en="This report was already sent: <code>{ticket}</code>",
    ),
    Text(
        "receipt",
        id=(
            "📨 Laporan <code>{ticket}</code> <b>diterima</b> Command Center 112 Kota Semarang:"
            " kartunya sudah tampil di grup petugas.\n"
            "Petugas akan segera menindaklanjuti; kabar berikutnya dikirim di chat ini.\n"
            "🚨 Jika keadaan memburuk atau nyawa terancam, telepon <b>112</b>."
        ),
        en=(
            "📨 Report <code>{ticket}</code> <b>received</b> by Kota Semarang's 112 Command "
            "Center: its card is on the operators' screen now.\n"
            "Officers will act on it; updates will come in this chat.\n"
            "🚨 If things get worse or a life is in danger, call <b>112</b>."
        ),
    ),
    # --- cancelling, drafts, odd input, errors --------------------------------------------
    Text(
        "cancelled",
        id="Laporan dibatalkan. Tidak ada yang dikirim. Tekan /lapor untuk mulai lagi.",
        en="Report cancelled. Nothing was sent. Press /lapor to start again.",
    ),
    Text(
        "nothing_to_cancel",
        id="Tidak ada laporan yang sedang dibuat. Tekan /lapor untuk membuat laporan.",
        en="You are not writing a report. Press /lapor to make one.",
    ),
    Text(
        "no_draft",
        id="Untuk melapor keadaan darurat, tekan /lapor. 🚨 Nyawa terancam? Telepon 112.",
        en="To report an emergency, press /lapor. 🚨 Life in danger? Call 112.",
    ),
    Text(
        "in_progress",
        id=(
            "Anda sedang membuat laporan — kita lanjutkan dari langkah terakhir "
            "(atau /batal untuk membatalkan)."
        ),
        en=(
            "You are in the middle of a report — let's continue where you left off "
            "(or /batal to cancel)."
        ),
    ),
    Text(
        "draft_expired",
        id=(
            "Laporan yang belum dikirim sudah kedaluwarsa (tidak aktif {minutes} menit) "
            "dan dihapus. Tekan /lapor untuk mulai lagi. 🚨 Darurat? Telepon 112."
        ),
        en=(
            "Your unsent report expired (idle for {minutes} minutes) and was removed. "
            "Press /lapor to start again. 🚨 Emergency? Call 112."
        ),
    ),
    Text(
        "unexpected",
        id="Maaf, {what} tidak bisa dipakai di langkah ini.",
        en="Sorry, {what} cannot be used at this step.",
    ),
    Text("unknown_command", id="Perintah tidak dikenal.", en="Unknown command."),
    Text(
        "stale_button", id="Tombol ini sudah tidak berlaku.", en="This button is no longer valid."
    ),
    Text(
        "private_only",
        id="Laporan dibuat lewat chat pribadi dengan bot: {link}",
        en="Reports are made in a private chat with the bot: {link}",
    ),
    Text(
        "chat_id",
        id="ID chat ini: <code>{chat_id}</code> ({kind})",
        en="This chat's id: <code>{chat_id}</code> ({kind})",
    ),
    Text(
        "error",
        id=(
            "⚠️ Maaf, terjadi gangguan. Jawaban Anda yang sudah tersimpan tidak hilang; "
            "silakan coba lagi. 🚨 Darurat? Telepon 112."
        ),
        en=(
            "⚠️ Sorry, something went wrong. What you already entered is kept; please try "
            "again. 🚨 Emergency? Call 112."
        ),
    ),
    # --- what happens to a sent report ----------------------------------------------------
    Text(
        "notice_claimed",
        id="👮 Laporan <code>{ticket}</code> <b>sedang ditangani</b> petugas 112.",
        en="👮 Report <code>{ticket}</code> <b>is being handled</b> by a 112 operator.",
    ),
    Text(
        "notice_dispatched",
        id="🚒 Laporan <code>{ticket}</code>: <b>{agency}</b> sudah diminta ke lokasi.",
        en="🚒 Report <code>{ticket}</code>: <b>{agency}</b> has been sent to the scene.",
    ),
    Text(
        "notice_en_route",
        id="🚗 Petugas <b>sedang menuju lokasi</b> (<code>{ticket}</code>).",
        en="🚗 Officers are <b>on their way</b> (<code>{ticket}</code>).",
    ),
    Text(
        "notice_on_scene",
        id="📍 Petugas <b>sudah tiba di lokasi</b> (<code>{ticket}</code>).",
        en="📍 Officers <b>have arrived</b> (<code>{ticket}</code>).",
    ),
    Text(
        "notice_closed",
        id="✅ Laporan <code>{ticket}</code> ditutup: {disposition}",
        en="✅ Report <code>{ticket}</code> closed: {disposition}",
    ),
    Text(
        "notice_strikes_left",
        id=(
            "⚠️ Laporan palsu menghambat pertolongan bagi yang membutuhkan. Sisa peringatan: {left}."
        ),
        en="⚠️ False reports keep help from people who need it. Warnings left: {left}.",
    ),
    Text(
        "notice_blocked",
        id=(
            "⛔ Karena {strikes} laporan palsu, Anda tidak dapat lagi membuat laporan "
            "melalui bot ini. Untuk keadaan darurat yang sebenarnya, telepon <b>112</b>."
        ),
        en=(
            "⛔ After {strikes} false reports you can no longer file reports through this "
            "bot. For a real emergency, call <b>112</b>."
        ),
    ),
    Text(
        "blocked",
        id=(
            "⛔ Anda tidak dapat membuat laporan baru melalui bot ini karena laporan palsu "
            "sebelumnya. Untuk keadaan darurat yang sebenarnya, telepon <b>112</b>."
        ),
        en=(
            "⛔ You cannot file new reports through this bot because of earlier false "
            "reports. For a real emergency, call <b>112</b>."
        ),
    ),
    # --- why a report was closed, told to its reporter (after notice_closed) --------------
    Text("notice_reason_resolved", id="sudah ditangani.", en="handled."),
    Text(
        "notice_reason_duplicate",
        id="sama dengan laporan <code>{other}</code> yang sedang ditangani.",
        en="same as report <code>{other}</code>, which is being handled.",
    ),
    Text("notice_reason_transferred", id="dialihkan ke {target}.", en="transferred to {target}."),
    Text(
        "notice_reason_cancelled_by_reporter",
        id="dibatalkan atas permintaan Anda.",
        en="cancelled at your request.",
    ),
    Text(
        "notice_reason_false_alarm",
        id="petugas tidak menemukan keadaan darurat.",
        en="officers found no emergency.",
    ),
    Text(
        "notice_reason_prank",
        id="dinilai sebagai laporan palsu.",
        en="judged to be a false report.",
    ),
    Text(
        "notice_reason_no_further_action",
        id="tidak memerlukan tindakan lebih lanjut.",
        en="no further action is needed.",
    ),
    # --- messages with the command center, own reports ------------------------------------
    Text(
        "not_received_call_112",
        id="⚠️ Laporan <code>{ticket}</code> tersimpan, tetapi <b>belum sampai</b> ke petugas"
        " Command Center karena gangguan. <b>Telepon 112 sekarang.</b> Kami kabari begitu"
        " laporan diterima.",
        en="⚠️ Report <code>{ticket}</code> is stored but has <b>not reached</b> the Command"
        " Center operators because of a fault. <b>Call 112 now.</b> We will tell you as soon as"
        " it is received.",
    ),
    Text(
        "relay_correction",
        id="✏️ <b>Koreksi dari petugas 112</b> (<code>{ticket}</code>):\n{text}",
        en="✏️ <b>Correction from the 112 operator</b> (<code>{ticket}</code>):\n{text}",
    ),
    Text(
        "relay_from_dispatch",
        id="💬 <b>Petugas 112</b> (<code>{ticket}</code>):\n{text}",
        en="💬 <b>112 operator</b> (<code>{ticket}</code>):\n{text}",
    ),
    Text(
        "relayed_album",
        id="✉️ Album diteruskan ke petugas (<code>{ticket}</code>); paling banyak {limit}"
        " lampiran per laporan.",
        en="✉️ Album passed to the operators (<code>{ticket}</code>); at most {limit}"
        " attachments per report.",
    ),
    Text(
        "attachment_limit_sent",
        id="📎 Laporan <code>{ticket}</code> sudah punya {limit} lampiran, batasnya: foto atau"
        " video berikutnya tidak diteruskan. Tulis keterangan sebagai pesan teks, atau"
        " telepon <b>112</b>.",
        en="📎 Report <code>{ticket}</code> already has {limit} attachments, the limit: further"
        " photos or videos are not passed on. Write the details as a text message, or call"
        " <b>112</b>.",
    ),
    Text(
        "relayed",
        id="✉️ Pesan diteruskan ke petugas (<code>{ticket}</code>).",
        en="✉️ Message passed to the operators (<code>{ticket}</code>).",
    ),
    Text(
        "status_none",
        id="Anda belum pernah membuat laporan. Tekan /lapor untuk melapor.",
        en="You have not made any reports. Press /lapor to make one.",
    ),
    Text("status_title", id="<b>Laporan Anda</b>", en="<b>Your reports</b>"),
    Text(
        "status_not_in_group",
        id="⏳ belum sampai di grup petugas — darurat? telepon 112",
        en="⏳ not with the operators yet — emergency? call 112",
    ),
    Text("btn_cancel_report", id="Batalkan {ticket}", en="Cancel {ticket}"),
    Text(
        "cancel_refused",
        id=(
            "Laporan ini tidak bisa dibatalkan lagi (petugas sudah dikirim). "
            "Hubungi 112 bila perlu."
        ),
        en=("This report can no longer be cancelled (officers were sent). Call 112 if needed."),
    ),
    Text(
        "you_are_unblocked",
        id="✅ Anda dapat kembali membuat laporan melalui bot ini.",
        en="✅ You can file reports through this bot again.",
    ),
)
