"""Every sentence a reporter or dispatcher reads, in Bahasa Indonesia and English.

Texts are HTML (Telegram's subset): placeholders are filled with already-escaped values
by the caller (see ``handlers/render.py``). ``t(lang, key, **values)`` looks one up.
"""

from __future__ import annotations

from bot.models import Language

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
