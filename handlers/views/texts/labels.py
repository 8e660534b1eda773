"""Names shared by every audience: categories, dispositions, location sources, fields,
kinds of message, the command menu, and the words of exports.

Plain text (callers escape them for HTML), so exports and charts can use them too.
"""

from __future__ import annotations

from typing import Final

from handlers.views.texts.catalogue import Text

TEXTS: Final[tuple[Text, ...]] = (
    # --- categories (keys of bot.domain.categories.Category) -----------------------------
    Text("category_medical_emergency", id="Darurat medis", en="Medical emergency"),
    Text("category_ambulance_hebat", id="Ambulans", en="Ambulance"),
    Text("category_crime", id="Kriminal", en="Crime"),
    Text("category_disaster", id="Bencana", en="Disaster"),
    Text("category_fire", id="Kebakaran", en="Fire"),
    Text("category_traffic_accident", id="Kecelakaan", en="Traffic accident"),
    Text(
        "category_security_public_order", id="Keamanan & ketertiban", en="Security & public order"
    ),
    Text("category_wild_animal_evacuation", id="Evakuasi hewan buas", en="Wild animal"),
    Text("category_fallen_tree", id="Pohon tumbang", en="Fallen tree"),
    Text(
        "category_electrical_short_circuit", id="Konsleting listrik", en="Electrical short circuit"
    ),
    Text("category_corpse_found", id="Penemuan mayat", en="Body found"),
    Text("category_other", id="Lainnya", en="Other"),
    Text("category_unknown", id="SOS — belum diketahui", en="SOS — not known yet"),
    # --- dispositions (bot.domain.lifecycle.Disposition): one name each, everywhere -------
    # (the card, its timeline and buttons, /statistik, summaries, exports). What the
    # reporter is told when a report closes is in reporter.py (notice_reason_*).
    Text("disposition_resolved", id="Selesai", en="Resolved"),
    Text("disposition_duplicate", id="Duplikat", en="Duplicate"),
    Text("disposition_duplicate_of", id="Duplikat dari {other}", en="Duplicate of {other}"),
    Text("disposition_transferred", id="Dialihkan", en="Transferred"),
    Text("disposition_transferred_to", id="Dialihkan ke {target}", en="Transferred to {target}"),
    Text(
        "disposition_cancelled_by_reporter", id="Dibatalkan pelapor", en="Cancelled by the reporter"
    ),
    Text("disposition_false_alarm", id="Alarm palsu", en="False alarm"),
    Text("disposition_prank", id="Laporan iseng", en="Prank report"),
    Text("disposition_no_further_action", id="Tanpa tindak lanjut", en="No further action"),
    # --- where a report stands, as exports describe it (bot.domain.lifecycle.ReportState) -
    Text("export_state_submitted", id="Diterima sistem", en="Submitted"),
    Text("export_state_received", id="Diterima petugas 112", en="Received by the 112 operators"),
    Text("export_state_claimed", id="Sedang ditangani petugas 112", en="Handled by a 112 operator"),
    Text("export_state_dispatched", id="Diteruskan ke instansi", en="Dispatched to an agency"),
    Text("export_state_en_route", id="Petugas menuju lokasi", en="Unit en route"),
    Text("export_state_on_scene", id="Petugas di lokasi", en="Unit on scene"),
    # --- how a location was given (bot.domain.models.LocationSource) ----------------------
    Text("source_gps", id="GPS pelapor", en="reporter's GPS"),
    Text("source_live", id="lokasi langsung", en="live location"),
    Text("source_venue", id="tempat dipilih", en="picked place"),
    Text("source_picked", id="titik di peta", en="map pin"),
    Text("source_typed", id="diketik pelapor", en="typed by reporter"),
    Text("location_approximate", id="titik perkiraan", en="approximate point"),
    # --- fields of a report (the reporter's summary, the card) ----------------------------
    Text("field_category", id="Jenis", en="Kind"),
    Text("field_location", id="Lokasi", en="Location"),
    Text("field_details", id="Keterangan", en="Details"),
    Text("field_phone", id="Telepon", en="Phone"),
    Text("field_attachments", id="Lampiran", en="Attachments"),
    Text("field_witness", id="Untuk orang lain", en="For someone else"),
    Text("field_anonymous", id="Identitas untuk instansi", en="Identity for agencies"),
    # --- what was sent, in "Sorry, {what} cannot be used at this step" --------------------
    Text("what_sticker", id="stiker", en="a sticker"),
    Text("what_voice", id="pesan suara", en="a voice message"),
    Text("what_video", id="video", en="a video"),
    Text("what_document", id="dokumen", en="a document"),
    Text("what_photo", id="foto", en="a photo"),
    Text("what_poll", id="polling", en="a poll"),
    Text("what_contact", id="kontak", en="a contact"),
    Text("what_location", id="lokasi", en="a location"),
    Text("what_text", id="teks", en="text"),
    Text("what_other", id="pesan seperti ini", en="this kind of message"),
    # --- kinds of attachment (bot.domain.models.AttachmentKind) ---------------------------
    Text("kind_photo", id="Foto", en="Photo"),
    Text("kind_voice", id="Pesan suara", en="Voice message"),
    Text("kind_video", id="Video", en="Video"),
    Text("kind_video_note", id="Video bulat", en="Video note"),
    Text("kind_document", id="Dokumen", en="Document"),
    # --- the command menu (Telegram's "/" list) -------------------------------------------
    Text("command_lapor", id="Buat laporan darurat", en="Make an emergency report"),
    Text(
        "command_batal",
        id="Batalkan laporan yang sedang dibuat",
        en="Cancel the report you are writing",
    ),
    Text(
        "command_language", id="Ganti bahasa / change language", en="Change language / ganti bahasa"
    ),
    Text("command_help", id="Bantuan", en="Help"),
    Text("command_status", id="Laporan saya dan statusnya", en="My reports and where they stand"),
    # --- the dispatch group's command menu ------------------------------------------------
    Text(
        "dispatch_command_antrian",
        id="Laporan terbuka, yang terlama dulu",
        en="Open reports, oldest first",
    ),
    Text(
        "dispatch_command_laporan",
        id="Kartu satu laporan: /laporan SMG-…",
        en="One report's card: /laporan SMG-…",
    ),
    Text(
        "dispatch_command_statistik",
        id="Statistik: hari, minggu atau bulan ini",
        en="Statistics: today, this week or this month",
    ),
    Text(
        "dispatch_command_ekspor",
        id="Ekspor laporan: csv, open311 atau eido",
        en="Export reports: csv, open311 or eido",
    ),
    Text(
        "dispatch_command_unblock",
        id="Buka blokir pelapor: /unblock <id atau @username>",
        en="Unblock a reporter: /unblock <id or @username>",
    ),
    Text(
        "dispatch_command_chatid",
        id="Tampilkan id chat ini (pengaturan)",
        en="Show this chat's id (setup)",
    ),
    # --- the bot's profile: what a new user sees before pressing Start --------------------
    Text(
        "bot_description",
        id=(
            "Layanan laporan darurat Command Center 112 Kota Semarang, 24 jam. Laporkan "
            "kecelakaan, kebakaran, kriminal, darurat medis, bencana dan kejadian lain: lokasi, "
            "keterangan dan foto Anda langsung sampai ke petugas 112, dan Anda dikabari setiap "
            "langkahnya. Jika nyawa terancam, telepon juga 112 (gratis)."
        ),
        en=(
            "Emergency reports to Kota Semarang's 112 Command Center, around the clock. Report "
            "accidents, fires, crime, medical emergencies, disasters and more: your location, "
            "details and photos go straight to the 112 operators, and you hear about every step. "
            "If a life is in danger, also call 112 (free)."
        ),
    ),
    Text(
        "bot_short_description",
        id="Laporan darurat ke Command Center 112 Kota Semarang, 24 jam. Nyawa terancam? Telepon 112.",
        en="Emergency reports to Kota Semarang's 112 Command Center, 24/7. Life in danger? Call 112.",
    ),
    # --- small words ----------------------------------------------------------------------
    Text("none", id="—", en="—"),
    Text("yes", id="Ya", en="Yes"),
    Text("no", id="Tidak", en="No"),
)
