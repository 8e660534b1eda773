"""The city at a glance: shift hand-over, unit notes, a location from a reporter with an
open report, reports from outside the city in their own chat, pictures in summaries.

Telegram HTML; placeholders are filled with already-escaped values by the caller.
"""

from __future__ import annotations

from typing import Final

from handlers.views.texts.catalogue import Text

TEXTS: Final[tuple[Text, ...]] = (
    # --- shift hand-over ------------------------------------------------------------------
    Text("btn_handover", id="🔁 Alihkan", en="🔁 Hand over"),
    Text(
        "handover_pick",
        id="Alihkan ke siapa?",
        en="Hand over to whom?",
    ),
    Text(
        "handover_nobody",
        id="Tidak ada dispatcher lain yang bisa menerima laporan ini.",
        en="No other dispatcher can take this report.",
    ),
    Text(
        "handover_not_dispatcher",
        id="{who} bukan dispatcher di grup ini.",
        en="{who} is not a dispatcher in this group.",
    ),
    Text(
        "handover_notice",
        id="🔁 {ticket} dialihkan dari {from_name} ke {to}. {to}, laporan ini sekarang milik Anda.",
        en="🔁 {ticket} handed over from {from_name} to {to}. {to}, this report is yours now.",
    ),
    Text(
        "handover_all_notice",
        id="🔁 Pergantian shift: {from_name} menyerahkan {count} laporan terbuka ke {to}: {tickets}."
        " {to}, laporan-laporan ini sekarang milik Anda.",
        en="🔁 Shift hand-over: {from_name} handed {count} open report(s) to {to}: {tickets}."
        " {to}, these reports are yours now.",
    ),
    Text(
        "handover_all_none",
        id="Anda tidak memegang laporan terbuka; tidak ada yang dialihkan.",
        en="You hold no open reports; nothing was handed over.",
    ),
    Text(
        "handover_all_done",
        id="✅ {count} laporan dialihkan ke {to}.",
        en="✅ {count} report(s) handed over to {to}.",
    ),
    Text(
        "handover_self",
        id="Pilih dispatcher lain: laporan ini sudah milik {who}.",
        en="Pick another dispatcher: the report is already {who}'s.",
    ),
    Text(
        "usage_handover",
        id="Cara pakai: <code>/alihkan &lt;tiket&gt; @dispatcher</code>, atau di akhir shift"
        " <code>/alihkan semua @dispatcher</code> (semua laporan terbuka Anda).",
        en="Usage: <code>/alihkan &lt;ticket&gt; @dispatcher</code>, or at the end of a shift"
        " <code>/alihkan all @dispatcher</code> (all your open reports).",
    ),
    Text("handover_done", id="✅ Dialihkan ke {to}.", en="✅ Handed over to {to}."),
    Text(
        "dispatch_command_alihkan",
        id="Alihkan laporan: /alihkan <tiket|semua> @dispatcher",
        en="Hand over: /alihkan <ticket|all> @dispatcher",
    ),
    Text(
        "dispatch_command_kirim",
        id="Kirim instansi + unit: /kirim <tiket> <instansi> [unit]",
        en="Dispatch with the unit: /kirim <ticket> <agency> [unit]",
    ),
    # --- unit / officer notes --------------------------------------------------------------
    Text("card_units", id="🚓 Unit/petugas", en="🚓 Unit/officer"),
    Text("ev_unit_noted", id="unit {agency}: {unit}", en="unit {agency}: {unit}"),
    Text("btn_unit", id="🚓 Unit", en="🚓 Unit"),
    Text(
        "unit_prompt",
        id="🚓✍️ {who}: unit/petugas {agency} untuk {ticket}? Balas pesan ini dengan nama unit"
        " atau petugas.",
        en="🚓✍️ {who}: which {agency} unit/officer for {ticket}? Reply to this message with the"
        " unit or officer.",
    ),
    Text(
        "usage_unit",
        id="Cara pakai: <code>/kirim &lt;tiket&gt; &lt;instansi&gt; [unit/petugas]</code>,"
        " mis. <code>/kirim SMG-260327-0042 damkar Unit 3 Pos Tugu</code>. Instansi: {agencies}.",
        en="Usage: <code>/kirim &lt;ticket&gt; &lt;agency&gt; [unit/officer]</code>,"
        " e.g. <code>/kirim SMG-260327-0042 damkar Unit 3 Pos Tugu</code>. Agencies: {agencies}.",
    ),
    Text(
        "unit_agency_unknown",
        id="Instansi “{agency}” tidak dikenal. Instansi: {agencies}.",
        en="Unknown agency “{agency}”. Agencies: {agencies}.",
    ),
    Text(
        "unit_note_text_only",
        id="🚓 Unit/petugas untuk {ticket} ditulis sebagai teks: balas pertanyaannya dengan nama"
        " unit atau petugas.",
        en="🚓 The unit/officer for {ticket} is written as text: reply to the question with the"
        " unit or officer's name.",
    ),
    Text(
        "unit_recorded",
        id="✅ {ticket}: {agency}{unit}.",
        en="✅ {ticket}: {agency}{unit}.",
    ),
    # --- a location from a reporter with an open report ------------------------------------
    Text(
        "location_which",
        id="📍 Anda masih punya laporan terbuka <b>{ticket}</b> ({category}, {time}).\n"
        "Apakah lokasi ini <b>pembaruan</b> untuk laporan itu, atau <b>keadaan darurat baru</b>?",
        en="📍 You still have an open report <b>{ticket}</b> ({category}, {time}).\n"
        "Is this location an <b>update</b> to that report, or a <b>new emergency</b>?",
    ),
    Text(
        "btn_location_update",
        id="🔄 Perbarui lokasi {ticket}",
        en="🔄 Update the location of {ticket}",
    ),
    Text(
        "btn_location_new",
        id="🆘 Darurat baru",
        en="🆘 New emergency",
    ),
    Text(
        "location_updated",
        id="✅ Lokasi laporan {ticket} diperbarui; petugas sudah diberi tahu.",
        en="✅ The location of {ticket} is updated; the operators have been told.",
    ),
    Text(
        "location_question_stale",
        id="Pertanyaan ini sudah dijawab atau kedaluwarsa. Kirim lokasi Anda lagi bila perlu.",
        en="This question was already answered or has expired. Send your location again if needed.",
    ),
    Text(
        "location_report_closed",
        id="Laporan {ticket} sudah ditutup, lokasinya tidak diubah. Bila ini keadaan darurat"
        " baru, tekan 🆘 Darurat baru atau kirim lokasi Anda lagi.",
        en="{ticket} is closed; its location was not changed. If this is a new emergency, press"
        " 🆘 New emergency or send your location again.",
    ),
    Text(
        "group_location_sent",
        id="📍 Pelapor {ticket} mengirim lokasi: {where}\n(ditanya apakah ini lokasi baru laporan"
        " ini atau keadaan darurat lain; jawabannya menyusul)",
        en="📍 The reporter of {ticket} sent a location: {where}\n(asked whether it moves this"
        " report or is another emergency; the answer follows)",
    ),
    Text(
        "group_location_updated",
        id="📍 Pelapor memperbarui lokasi {ticket}: {where}",
        en="📍 The reporter updated the location of {ticket}: {where}",
    ),
    # --- summaries with pictures -----------------------------------------------------------
    Text("summary_map_title", id="Laporan {day}", en="Reports of {day}"),
    Text(
        "summary_choropleth_title",
        id="Laporan per kecamatan — {month}",
        en="Reports per kecamatan — {month}",
    ),
    Text(
        "summary_response_title",
        id="Waktu tanggap — {month} (target {target} menit)",
        en="Response times — {month} ({target}-minute target)",
    ),
    Text(
        "summary_map_caption",
        id="🗺 Peta laporan {day}: {count} laporan.",
        en="🗺 Map of the reports of {day}: {count} report(s).",
    ),
    Text(
        "summary_choropleth_caption",
        id="🗺 Laporan per kecamatan, {month}.",
        en="🗺 Reports per kecamatan, {month}.",
    ),
    Text(
        "summary_response_caption",
        id="⏱ Waktu tanggap, {month}, terhadap target {target} menit.",
        en="⏱ Response times, {month}, against the {target}-minute target.",
    ),
)
