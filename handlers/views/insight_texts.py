"""Texts of ``/statistik``, ``/ekspor`` and the rating flow, in Bahasa Indonesia and English.

Kept apart from ``handlers/texts.py``; same conventions: Telegram HTML, placeholders
filled with already-escaped values by the caller.
"""

from __future__ import annotations

from typing import Final

from bot.domain.models import Language

TEXTS: Final[dict[str, dict[Language, str]]] = {
    # --- /statistik -----------------------------------------------------------------------
    "stats_title": {
        "id": "📊 <b>Statistik 112 — {period}</b>",
        "en": "📊 <b>112 statistics — {period}</b>",
    },
    "stats_count": {
        "id": "<b>{count} laporan</b> · iseng {pranks} ({share})",
        "en": "<b>{count} reports</b> · pranks {pranks} ({share})",
    },
    "stats_empty": {
        "id": "Belum ada laporan pada periode ini.",
        "en": "No reports in this period yet.",
    },
    "stats_rating": {
        "id": "⭐ Penilaian pelapor: {avg} dari 5 ({n} penilaian)",
        "en": "⭐ Reporters' rating: {avg} of 5 ({n} ratings)",
    },
    "stats_rating_none": {
        "id": "⭐ Penilaian pelapor: belum ada",
        "en": "⭐ Reporters' rating: none yet",
    },
    "stats_by_category": {"id": "<b>Per kategori</b>", "en": "<b>By category</b>"},
    "stats_by_kecamatan": {"id": "<b>Per kecamatan</b>", "en": "<b>By kecamatan</b>"},
    "stats_by_agency": {"id": "<b>Per instansi</b>", "en": "<b>By agency</b>"},
    "stats_by_disposition": {"id": "<b>Penyelesaian</b>", "en": "<b>Outcome</b>"},
    "stats_group": {
        "id": "{name}: {count}{within}{median}{pranks}",
        "en": "{name}: {count}{within}{median}{pranks}",
    },
    "stats_group_within": {
        "id": " · ≤{target} mnt {share} ({n}/{total})",
        "en": " · ≤{target} min {share} ({n}/{total})",
    },
    "stats_group_median": {
        "id": " · median {median}, p90 {p90}",
        "en": " · median {median}, p90 {p90}",
    },
    "stats_group_pranks": {"id": " · iseng {n}", "en": " · pranks {n}"},
    "stats_method": {
        "id": (
            "<i>Periode menurut waktu laporan dikirim (WIB). Klaim = t1−t0, tanggap = t4−t0; "
            "median &amp; p90 dengan interpolasi linear (seperti PERCENTILE.INC di Excel), "
            "hanya dari laporan yang mencapai tahap itu.</i>"
        ),
        "en": (
            "<i>Periods by the time a report was sent (WIB). Claim = t1−t0, response = "
            "t4−t0; median &amp; p90 by linear interpolation (like Excel's PERCENTILE.INC), "
            "over the reports that reached that step.</i>"
        ),
    },
    "stats_usage": {
        "id": "Pakai: /statistik [hari|minggu|bulan]",
        "en": "Usage: /statistik [hari|minggu|bulan] (day, week, month)",
    },
    "area_outside": {"id": "Luar Kota Semarang", "en": "Outside Kota Semarang"},
    "area_unknown": {"id": "Tidak diketahui", "en": "Unknown"},
    "agency_none": {"id": "Belum diteruskan", "en": "Not dispatched"},
    "disp_open": {"id": "Masih terbuka", "en": "Still open"},
    "disp_resolved": {"id": "Selesai", "en": "Resolved"},
    "disp_duplicate": {"id": "Duplikat", "en": "Duplicate"},
    "disp_transferred": {"id": "Dialihkan", "en": "Transferred"},
    "disp_cancelled_by_reporter": {"id": "Dibatalkan pelapor", "en": "Cancelled by reporter"},
    "disp_false_alarm": {"id": "Alarm palsu", "en": "False alarm"},
    "disp_prank": {"id": "Iseng", "en": "Prank"},
    "disp_no_further_action": {"id": "Tanpa tindak lanjut", "en": "No further action"},
    # --- /ekspor --------------------------------------------------------------------------
    "export_usage": {
        "id": "Pakai: /ekspor [csv|open311|eido] [hari|minggu|bulan]",
        "en": "Usage: /ekspor [csv|open311|eido] [hari|minggu|bulan]",
    },
    "export_caption": {
        "id": "📁 Ekspor {fmt} — {period}: {count} laporan",
        "en": "📁 {fmt} export — {period}: {count} reports",
    },
    "export_denied": {
        "id": "Ekspor hanya untuk petugas dispatch.",
        "en": "Exports are for dispatchers only.",
    },
    # --- ratings --------------------------------------------------------------------------
    "rating_ask": {
        "id": (
            "🙏 Bagaimana pelayanan 112 untuk laporan <code>{ticket}</code>?\n"
            "Beri nilai 1 (buruk) sampai 5 (sangat baik):"
        ),
        "en": (
            "🙏 How was the 112 service for report <code>{ticket}</code>?\n"
            "Rate it from 1 (poor) to 5 (excellent):"
        ),
    },
    "rating_thanks": {
        "id": (
            "Terima kasih! Nilai Anda untuk <code>{ticket}</code>: {stars} ({n}/5).\n"
            "Ingin menambahkan komentar? Tulis pesan dalam {minutes} menit, atau tekan Lewati."
        ),
        "en": (
            "Thank you! Your rating for <code>{ticket}</code>: {stars} ({n}/5).\n"
            "Want to add a comment? Send a message within {minutes} minutes, or press Skip."
        ),
    },
    "rating_done": {
        "id": "Terima kasih atas penilaian Anda untuk <code>{ticket}</code>: {stars} ({n}/5).",
        "en": "Thank you for rating <code>{ticket}</code>: {stars} ({n}/5).",
    },
    "rating_comment_saved": {
        "id": "📝 Terima kasih, komentar Anda untuk <code>{ticket}</code> sudah kami catat.",
        "en": "📝 Thank you, your comment on <code>{ticket}</code> has been recorded.",
    },
    "rating_refused": {
        "id": "Laporan ini tidak bisa dinilai.",
        "en": "This report cannot be rated.",
    },
    "btn_skip": {"id": "Lewati", "en": "Skip"},
}


def tr(lang: Language, key: str, **values: object) -> str:
    """One text in a language, placeholders filled."""
    return TEXTS[key][lang].format(**values)
