"""What ``/statistik``, ``/ekspor``, the daily and monthly summaries and the charts say.

Telegram HTML, except the ``chart_*`` labels, which matplotlib draws as plain text.
"""

from __future__ import annotations

from typing import Final

from handlers.views.texts.catalogue import Text

TEXTS: Final[tuple[Text, ...]] = (
    # --- /statistik -----------------------------------------------------------------------
    Text(
        "stats_title",
        id="📊 <b>Statistik 112 — {period}</b>",
        en="📊 <b>112 statistics — {period}</b>",
    ),
    Text(
        "stats_count",
        id="<b>{count} laporan</b> · iseng {pranks} ({share})",
        en="<b>{count} reports</b> · pranks {pranks} ({share})",
    ),
    Text(
        "stats_empty", id="Belum ada laporan pada periode ini.", en="No reports in this period yet."
    ),
    Text(
        "stats_rating",
        id="⭐ Penilaian pelapor: {avg} dari 5 ({n} penilaian)",
        en="⭐ Reporters' rating: {avg} of 5 ({n} ratings)",
    ),
    Text(
        "stats_rating_none",
        id="⭐ Penilaian pelapor: belum ada",
        en="⭐ Reporters' rating: none yet",
    ),
    Text("stats_by_category", id="<b>Per kategori</b>", en="<b>By category</b>"),
    Text("stats_by_kecamatan", id="<b>Per kecamatan</b>", en="<b>By kecamatan</b>"),
    Text(
        "stats_by_region",
        id="<b>Luar kota, per kabupaten/kota</b>",
        en="<b>Outside the city, by kabupaten/kota</b>",
    ),
    Text("stats_by_agency", id="<b>Per instansi</b>", en="<b>By agency</b>"),
    Text("stats_by_disposition", id="<b>Penyelesaian</b>", en="<b>Outcome</b>"),
    Text(
        "stats_group",
        id="{name}: {count}{within}{median}{pranks}",
        en="{name}: {count}{within}{median}{pranks}",
    ),
    Text(
        "stats_group_within",
        id=" · ≤{target} mnt {share} ({n}/{total})",
        en=" · ≤{target} min {share} ({n}/{total})",
    ),
    Text(
        "stats_group_median", id=" · median {median}, p90 {p90}", en=" · median {median}, p90 {p90}"
    ),
    Text("stats_group_pranks", id=" · iseng {n}", en=" · pranks {n}"),
    Text(
        "stats_method",
        id=(
            "<i>Periode menurut waktu laporan dikirim (WIB). Klaim = t1−t0, tanggap = t4−t0; "
            "median &amp; p90 dengan interpolasi linear (seperti PERCENTILE.INC di Excel), "
            "hanya dari laporan yang mencapai tahap itu.</i>"
        ),
        en=(
            "<i>Periods by the time a report was sent (WIB). Claim = t1−t0, response = "
            "t4−t0; median &amp; p90 by linear interpolation (like Excel's PERCENTILE.INC), "
            "over the reports that reached that step.</i>"
        ),
    ),
    Text(
        "stats_usage",
        id="Pakai: /statistik [hari|minggu|bulan]",
        en="Usage: /statistik [hari|minggu|bulan] (day, week, month)",
    ),
    Text("area_outside", id="Luar Kota Semarang", en="Outside Kota Semarang"),
    Text("area_beyond_java", id="Luar Pulau Jawa", en="Outside Java"),
    Text("area_unknown", id="Tidak diketahui", en="Unknown"),
    Text("agency_none", id="Belum diteruskan", en="Not dispatched"),
    # --- /ekspor --------------------------------------------------------------------------
    Text(
        "export_usage",
        id="Pakai: /ekspor [csv|open311|eido] [hari|minggu|bulan]",
        en="Usage: /ekspor [csv|open311|eido] [hari|minggu|bulan]",
    ),
    Text(
        "export_caption",
        id="📁 Ekspor {fmt} — {period}: {count} laporan",
        en="📁 {fmt} export — {period}: {count} reports",
    ),
    # --- daily and monthly summaries (kpi_* are shared with /statistik) -------------------
    Text(
        "summary_daily_title", id="📊 <b>Ringkasan harian 112</b>", en="📊 <b>112 daily summary</b>"
    ),
    Text(
        "summary_monthly_title",
        id="📊 <b>Ringkasan bulanan 112</b>",
        en="📊 <b>112 monthly summary</b>",
    ),
    Text(
        "summary_headline",
        id="<b>{period}: {count} laporan tertangani</b>",
        en="<b>{period}: {count} reports handled</b>",
    ),
    Text(
        "kpi_within",
        id="⏱️ Petugas tiba ≤ {target} menit: <b>{share}</b> ({n} dari {total})",
        en="⏱️ Officer on scene ≤ {target} minutes: <b>{share}</b> ({n} of {total})",
    ),
    Text(
        "kpi_within_none",
        id="⏱️ Petugas tiba ≤ {target} menit: belum ada data",
        en="⏱️ Officer on scene ≤ {target} minutes: no data",
    ),
    Text(
        "kpi_response",
        id="🚓 Waktu tanggap: median {median} · p90 {p90}",
        en="🚓 Response time: median {median} · p90 {p90}",
    ),
    Text(
        "kpi_claim",
        id="🙋 Waktu klaim: median {median} · p90 {p90}",
        en="🙋 Claim time: median {median} · p90 {p90}",
    ),
    Text("kpi_no_data", id="belum ada data", en="no data"),
    Text("summary_top", id="📋 Terbanyak: {items}", en="📋 Most frequent: {items}"),
    Text(
        "summary_pranks", id="🚫 Laporan iseng: {n} ({share})", en="🚫 Prank reports: {n} ({share})"
    ),
    Text("summary_more", id="Rincian: /statistik", en="Details: /statistik"),
    # --- charts (plain text, drawn by matplotlib) -----------------------------------------
    Text("chart_no_data", id="Tidak ada data", en="No data"),
    Text("chart_reports", id="Laporan", en="Reports"),
    Text("chart_per_hour", id="Laporan per jam (WIB)", en="Reports per hour (WIB)"),
    Text("chart_per_day", id="Laporan per hari", en="Reports per day"),
    Text(
        "chart_response", id="Waktu tanggap (t4 − t0), menit", en="Response time (t4 − t0), minutes"
    ),
    Text("chart_target", id="Target {m} menit", en="{m}-minute target"),
    Text("chart_count", id="Jumlah laporan", en="Number of reports"),
    Text("chart_minutes", id="Menit sejak kartu diterima", en="Minutes since the card arrived"),
    # --- /peta: the map of reports (map_* without HTML are drawn by matplotlib) ----------
    Text(
        "map_usage",
        id="Pakai: /peta [hari] [kecamatan]",
        en="Usage: /peta [hari] [kecamatan] (hari: today's reports)",
    ),
    Text(
        "map_denied", id="Peta hanya untuk petugas dispatch.", en="The map is for dispatchers only."
    ),
    Text(
        "map_caption_open",
        id="🗺 <b>Peta laporan terbuka</b> · {time}",
        en="🗺 <b>Map of open reports</b> · {time}",
    ),
    Text(
        "map_caption_today",
        id="🗺 <b>Peta laporan hari ini</b> · {time}",
        en="🗺 <b>Map of today's reports</b> · {time}",
    ),
    Text("map_caption_focus", id=" · Kec. {name}", en=" · Kec. {name}"),
    Text("map_caption_empty_open", id="Tidak ada laporan terbuka. 👍", en="No open reports. 👍"),
    Text("map_caption_empty_today", id="Belum ada laporan hari ini.", en="No reports today yet."),
    Text(
        "map_caption_count",
        id="<b>{total} laporan</b>: {drawn} di peta",
        en="<b>{total} reports</b>: {drawn} on the map",
    ),
    Text(
        "map_caption_split",
        id=" ({open} terbuka, {closed} selesai — pudar)",
        en=" ({open} open, {closed} closed — faded)",
    ),
    Text(
        "map_caption_beyond",
        id=" · {n} di luar bingkai (panah di tepi)",
        en=" · {n} beyond the frame (arrows at the edge)",
    ),
    Text(
        "map_caption_no_point",
        id=" · {n} tanpa koordinat (lihat /antrian)",
        en=" · {n} without coordinates (see /antrian)",
    ),
    Text(
        "map_caption_late",
        id="⚠️ {n} lewat target {minutes} menit",
        en="⚠️ {n} past the {minutes}-minute target",
    ),
    Text("map_caption_outside", id="🚩 {n} luar kota", en="🚩 {n} outside the city"),
    Text(
        "map_caption_unlabelled",
        id="{n} nomor tidak muat di peta",
        en="{n} numbers did not fit on the map",
    ),
    Text("map_title_open", id="Laporan terbuka · {time}", en="Open reports · {time}"),
    Text("map_title_today", id="Laporan hari ini · {time}", en="Today's reports · {time}"),
    Text(
        "map_note",
        id="Angka = nomor tiket hari ini (13.42 = tgl 13 no. 42) · {mark} lewat {minutes} menit",
        en="Numbers = today's ticket numbers (13.42 = day 13, no. 42) · {mark} past {minutes} min",
    ),
    Text("map_unlabelled", id="{count} nomor tidak muat", en="{count} numbers did not fit"),
    Text("map_beyond", id="{count} · {place}", en="{count} · {place}"),
    Text("map_place_beyond_java", id="luar Jawa", en="outside Java"),
    Text("map_place_outside", id="luar kota", en="outside the city"),
    Text("map_empty_open", id="Tidak ada laporan terbuka", en="No open reports"),
    Text("map_empty_today", id="Belum ada laporan hari ini", en="No reports today yet"),
    Text("map_legend_category", id="Kategori", en="Category"),
    Text("map_legend_state", id="Status", en="Status"),
    Text("map_state_new", id="Baru", en="New"),
    Text("map_state_claimed", id="Diambil", en="Claimed"),
    Text("map_state_dispatched", id="Dikirim", en="Dispatched"),
    Text("map_state_en_route", id="Menuju lokasi", en="En route"),
    Text("map_state_on_scene", id="Di lokasi", en="On scene"),
    Text("map_state_closed", id="Selesai", en="Closed"),
    Text(
        "map_attribution",
        id="Batas wilayah: wilayah_boundaries © 2024 Cahya DSN (MIT)",
        en="Boundaries: wilayah_boundaries © 2024 Cahya DSN (MIT)",
    ),
    # --- a group of /statistik's outcome list that is no disposition ----------------------
    Text("stats_still_open", id="Masih terbuka", en="Still open"),
    # --- ratings (the reporter rates a closed report) -------------------------------------
    Text(
        "rating_ask",
        id=(
            "🙏 Bagaimana pelayanan 112 untuk laporan <code>{ticket}</code>?\n"
            "Beri nilai 1 (buruk) sampai 5 (sangat baik):"
        ),
        en=(
            "🙏 How was the 112 service for report <code>{ticket}</code>?\n"
            "Rate it from 1 (poor) to 5 (excellent):"
        ),
    ),
    Text(
        "rating_thanks",
        id=(
            "Terima kasih! Nilai Anda untuk <code>{ticket}</code>: {stars} ({n}/5).\n"
            "Ingin menambahkan komentar? Tulis pesan dalam {minutes} menit, atau tekan ⏭ Lewati."
        ),
        en=(
            "Thank you! Your rating for <code>{ticket}</code>: {stars} ({n}/5).\n"
            "Want to add a comment? Send a message within {minutes} minutes, or press ⏭ Skip."
        ),
    ),
    Text(
        "rating_done",
        id="Terima kasih atas penilaian Anda untuk <code>{ticket}</code>: {stars} ({n}/5).",
        en="Thank you for rating <code>{ticket}</code>: {stars} ({n}/5).",
    ),
    Text(
        "rating_comment_saved",
        id="📝 Terima kasih, komentar Anda untuk <code>{ticket}</code> sudah kami catat.",
        en="📝 Thank you, your comment on <code>{ticket}</code> has been recorded.",
    ),
    Text("rating_refused", id="Laporan ini tidak bisa dinilai.", en="This report cannot be rated."),
)
