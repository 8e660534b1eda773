"""What reporters read, continued: where they are (outside the city, typed places), the
SOS path, witnesses and anonymity, and the per-person limit.

Telegram HTML; placeholders are filled with already-escaped values by the caller.
"""

from __future__ import annotations

from typing import Final

from handlers.views.texts.catalogue import Text

TEXTS: Final[tuple[Text, ...]] = (
    # --- where is it: outside the city, typed places --------------------------------------
    Text(
        "outside_city",
        id=("⚠️ Lokasi ini <b>di luar Kota Semarang</b> (± {km} km dari batas kota). {forwarded}"),
        en="⚠️ This place is <b>outside Kota Semarang</b> (about {km} km beyond the city line). {forwarded}",
    ),
    Text(
        "outside_region_you",
        id="⚠️ Anda berada di <b>{region}, {province}</b> — di luar Kota Semarang (± {km} km dari batas kota). {forwarded}",
        en="⚠️ You are in <b>{region}, {province}</b> — outside Kota Semarang (about {km} km beyond the city line). {forwarded}",
    ),
    Text(
        "outside_region_place",
        id="⚠️ Lokasi ini berada di <b>{region}, {province}</b> — di luar Kota Semarang (± {km} km dari batas kota). {forwarded}",
        en="⚠️ This place is in <b>{region}, {province}</b> — outside Kota Semarang (about {km} km beyond the city line). {forwarded}",
    ),
    Text(
        "outside_java",
        id="⚠️ Lokasi ini <b>di luar Pulau Jawa</b> ({coords}) — di luar Kota Semarang. {forwarded}",
        en="⚠️ This place is <b>outside Java</b> ({coords}) — outside Kota Semarang. {forwarded}",
    ),
    Text(
        "outside_forwarded",
        id=(
            "Laporan tetap kami teruskan ke Command Center 112 Kota Semarang untuk "
            "dikoordinasikan dengan daerah setempat. Nomor <b>112</b> berlaku di seluruh "
            "Indonesia — untuk keadaan darurat, telepon 112 sekarang."
        ),
        en=(
            "We still pass your report to Semarang's 112 Command Center to coordinate "
            "with the local area. <b>112</b> works everywhere in Indonesia — in an emergency, "
            "call 112 now."
        ),
    ),
    Text(
        "place_pick",
        id="📍 Maksud Anda salah satu tempat ini? Pilih yang paling cocok:",
        en="📍 Did you mean one of these places? Pick the closest match:",
    ),
    Text("place_none_of_these", id="✏️ Bukan, pilih kecamatan", en="✏️ None, pick a kecamatan"),
    Text(
        "kecamatan_pick",
        id=(
            "Di kecamatan mana? Alamat yang Anda ketik (<i>{text}</i>) tetap kami kirim "
            "sebagai patokan."
        ),
        en="Which kecamatan? What you typed (<i>{text}</i>) is kept as the landmark.",
    ),
    Text("kecamatan_unknown", id="❓ Tidak tahu", en="❓ Don't know"),
    # --- SOS, witnesses, anonymity --------------------------------------------------------
    Text("btn_sos", id="🆘 Darurat — kirim lokasi sekarang", en="🆘 Emergency — send location now"),
    Text(
        "sos_hint",
        id=(
            "🆘 Keadaan darurat? Tekan <b>🆘 Darurat — kirim lokasi sekarang</b>: lokasi Anda "
            "langsung sampai ke petugas, pertanyaan menyusul."
        ),
        en=(
            "🆘 Emergency? Press <b>🆘 Emergency — send location now</b>: your location reaches "
            "the operators at once, questions come after."
        ),
    ),
    Text(
        "sos_receipt",
        id=(
            "🆘 <b>Lokasi Anda terkirim ke 112</b> (<code>{ticket}</code>); Anda dikabari begitu "
            "tampil di layar petugas. Bila bisa, telepon <b>112</b>.\n\n"
            "Jawab pertanyaan berikut bila sempat — "
            "semuanya boleh dilewati.\n\n<b>Apa yang terjadi?</b>"
        ),
        en=(
            "🆘 <b>Your location was sent to 112</b> (<code>{ticket}</code>); you will be told "
            "once it is on the operators' screen. If you can, call <b>112</b>.\n\n"
            "Answer the questions below if you can — each may "
            "be skipped.\n\n<b>What happened?</b>"
        ),
    ),
    Text(
        "sos_ask_details",
        id="<b>Ceritakan singkat</b> (tulis, atau kirim pesan suara 🎤). Boleh dilewati.",
        en="<b>Tell us briefly</b> (type, or send a voice note 🎤). You may skip.",
    ),
    Text(
        "sos_ask_photo",
        id="<b>Ada foto?</b> Kirim foto 📷 bila aman. Boleh dilewati.",
        en="<b>A photo?</b> Send one 📷 if it is safe. You may skip.",
    ),
    Text(
        "sos_ask_phone",
        id="<b>Nomor untuk dihubungi balik?</b> Tekan 📞 atau ketik nomor. Boleh dilewati.",
        en="<b>A number to call you back?</b> Press 📞 or type one. You may skip.",
    ),
    Text(
        "sos_done",
        id=(
            "✅ Terima kasih. Semua jawaban sudah diteruskan ke petugas (<code>{ticket}</code>). "
            "Pesan berikutnya di chat ini juga akan sampai ke mereka."
        ),
        en=(
            "✅ Thank you. Everything has been passed to the operators (<code>{ticket}</code>). "
            "Further messages in this chat reach them too."
        ),
    ),
    Text("sos_kept", id="✅ Diteruskan ke petugas.", en="✅ Passed to the operators."),
    Text("btn_for_someone_else", id="👥 Ini untuk orang lain", en="👥 This is for someone else"),
    Text(
        "btn_toggle_witness", id="👥 Untuk orang lain: {value}", en="👥 For someone else: {value}"
    ),
    Text(
        "btn_toggle_anonymous",
        id="🕶 Rahasiakan identitas dari instansi: {value}",
        en="🕶 Hide my identity from agencies: {value}",
    ),
    Text(
        "anonymous_on", id="dirahasiakan (hanya Command Center)", en="hidden (command center only)"
    ),
    Text("anonymous_off", id="ditampilkan", en="shown"),
    # --- too many reports -----------------------------------------------------------------
    Text(
        "rate_limited",
        id=(
            "⏳ Anda sudah mengirim {count} laporan dalam {minutes} menit terakhir. "
            "Laporan yang sudah terkirim sedang ditangani — untuk menambah keterangan, cukup "
            "tulis di chat ini. 🚨 Darurat baru? Telepon <b>112</b>."
        ),
        en=(
            "⏳ You have sent {count} reports in the last {minutes} minutes. Those are "
            "being handled — to add information, just write in this chat. 🚨 A new emergency? "
            "Call <b>112</b>."
        ),
    ),
)
