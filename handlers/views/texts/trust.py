"""Trusted reporters: roles and badges, invitations, the list, revocation and review —
what the invited people and the dispatchers read.

Telegram HTML; placeholders are filled with already-escaped values by the caller.
"""

from __future__ import annotations

from typing import Final

from handlers.views.texts.catalogue import Text

TEXTS: Final[tuple[Text, ...]] = (
    # --- roles and the badge --------------------------------------------------------------
    Text("trust_role_relawan", id="Relawan", en="Volunteer"),
    Text("trust_role_rt_rw", id="Ketua RT/RW", en="Neighbourhood head (RT/RW)"),
    Text("trust_role_petugas", id="Petugas lapangan", en="Field officer"),
    Text("trust_badge", id="{role} — {community}", en="{role} — {community}"),
    Text(
        "card_badge",
        id="✅ <b>{badge}</b> · pelapor terverifikasi",
        en="✅ <b>{badge}</b> · verified reporter",
    ),
    # --- the person who opens an invitation -----------------------------------------------
    Text(
        "trust_joined",
        id=(
            "✅ Terima kasih, {name}! Anda kini terdaftar sebagai <b>{badge}</b> di Command Center 112 Kota Semarang.\n\n"
            "Laporan Anda ditandai terverifikasi dan didahulukan di antrian petugas. Laporkan hanya kejadian nyata: "
            "laporan yang ditutup sebagai iseng menangguhkan status ini sampai ditinjau."
        ),
        en=(
            "✅ Thank you, {name}! You are now registered as <b>{badge}</b> with Kota Semarang's 112 Command Center.\n\n"
            "Your reports are marked verified and come first in the operators' queue. Report real incidents only: "
            "a report closed as a prank suspends this status until it is reviewed."
        ),
    ),
    Text(
        "trust_already",
        id="Anda sudah terdaftar sebagai <b>{badge}</b>. Tidak ada yang berubah.",
        en="You are already registered as <b>{badge}</b>. Nothing changed.",
    ),
    Text(
        "trust_refused_unknown",
        id="❌ Tautan undangan ini tidak dikenal — mungkin terpotong atau salah salin. Minta tautan baru kepada Command Center 112.",
        en="❌ This invitation link is not known — it may be cut off or mistyped. Ask the 112 Command Center for a new one.",
    ),
    Text(
        "trust_refused_expired",
        id="⌛ Tautan undangan ini sudah kedaluwarsa (berlaku sampai {until}). Minta tautan baru kepada Command Center 112.",
        en="⌛ This invitation link has expired (it was valid until {until}). Ask the 112 Command Center for a new one.",
    ),
    Text(
        "trust_refused_used_up",
        id="❌ Tautan undangan ini sudah dipakai ({uses} dari {uses}). Minta tautan baru kepada Command Center 112.",
        en="❌ This invitation link has been used up ({uses} of {uses}). Ask the 112 Command Center for a new one.",
    ),
    Text(
        "trust_refused_suspended",
        id="⏸ Status <b>{badge}</b> Anda sedang ditinjau; tautan ini tidak mengubahnya. Command Center 112 akan memberi kabar.",
        en="⏸ Your status as <b>{badge}</b> is under review; this link does not change that. The 112 Command Center will let you know.",
    ),
    Text(
        "trust_refused_revoked",
        id="❌ Status terpercaya Anda telah dicabut, dan tautan ini dibuat sebelumnya. Hubungi Command Center 112 bila ada kekeliruan.",
        en="❌ Your trusted status was revoked, and this link was made before that. Contact the 112 Command Center if this is a mistake.",
    ),
    Text(
        "trust_you_are_revoked",
        id="Status <b>{badge}</b> Anda di Command Center 112 telah dicabut. Laporan Anda tetap diterima seperti laporan warga lainnya.",
        en="Your status as <b>{badge}</b> with the 112 Command Center has been revoked. Your reports are still received like every resident's.",
    ),
    Text(
        "trust_you_are_reinstated",
        id="✅ Status <b>{badge}</b> Anda aktif kembali setelah peninjauan. Terima kasih.",
        en="✅ Your status as <b>{badge}</b> is active again after review. Thank you.",
    ),
    Text(
        "notice_trusted_prank",
        id="Laporan ini tidak dihitung sebagai peringatan, tetapi status <b>{badge}</b> Anda ditangguhkan sementara menunggu peninjauan Command Center 112.",
        en="This report does not count as a warning, but your status as <b>{badge}</b> is suspended pending the 112 Command Center's review.",
    ),
    Text(
        "notice_trusted_prank_no_strike",
        id="Laporan ini tidak dihitung sebagai peringatan.",
        en="This report does not count as a warning.",
    ),
    # --- dispatchers: inviting ------------------------------------------------------------
    Text(
        "trust_usage",
        id=(
            'Pakai: <code>/undang relawan "SAR Semarang" 5 7d</code>\n'
            "Peran: <code>relawan</code> (nama komunitas), <code>rt_rw</code> (kelurahan), <code>petugas</code> (instansi). "
            "Lalu, bila perlu, berapa orang boleh memakai tautan (1–100, bawaan 1) dan masa berlaku "
            "(<code>30m</code>, <code>12jam</code>, <code>7d</code>, <code>2w</code>; paling lama 30 hari, bawaan 7 hari)."
        ),
        en=(
            'Usage: <code>/undang relawan "SAR Semarang" 5 7d</code>\n'
            "Role: <code>relawan</code> (community name), <code>rt_rw</code> (kelurahan), <code>petugas</code> (agency). "
            "Then, optionally, how many people may use the link (1–100, default 1) and how long it is valid "
            "(<code>30m</code>, <code>12jam</code>, <code>7d</code>, <code>2w</code>; at most 30 days, default 7 days)."
        ),
    ),
    Text("trust_error_role", id="Peran tidak dikenal.", en="Unknown role."),
    Text(
        "trust_error_community",
        id="Nama komunitas, kelurahan atau instansi wajib diisi (paling panjang 64 karakter).",
        en="A community, kelurahan or agency name is required (at most 64 characters).",
    ),
    Text(
        "trust_error_uses",
        id="Jumlah pemakai harus 1–100.",
        en="The number of users must be 1–100.",
    ),
    Text(
        "trust_error_validity",
        id="Masa berlaku harus lebih dari nol dan paling lama 30 hari.",
        en="The validity must be above zero and at most 30 days.",
    ),
    Text(
        "trust_error_usage",
        id="Peran dan komunitas wajib diisi.",
        en="A role and a community are required.",
    ),
    Text(
        "trust_error_kelurahan",
        id="Kelurahan “{name}” tidak dikenal di Kota Semarang. Contoh: <code>/undang rt_rw Pleburan</code>",
        en="No kelurahan “{name}” in Kota Semarang. Example: <code>/undang rt_rw Pleburan</code>",
    ),
    Text(
        "trust_invitation",
        id=(
            "✉️ <b>Undangan: {badge}</b> (#{invitation})\n"
            "Untuk {uses} orang, berlaku sampai {until}.\n\n"
            "{link}\n\n"
            "Kirim tautan ini secara pribadi hanya kepada orang yang diundang: siapa pun yang membukanya mendapat peran ini."
        ),
        en=(
            "✉️ <b>Invitation: {badge}</b> (#{invitation})\n"
            "For {uses} people, valid until {until}.\n\n"
            "{link}\n\n"
            "Send this link privately, only to the people invited: whoever opens it gets this role."
        ),
    ),
    Text(
        "trust_invitation_sent",
        id=(
            "✉️ Undangan #{invitation} ({badge}, untuk {uses} orang, sampai {until}) dibuat. "
            "Tautannya dikirim lewat chat pribadi kepada {name}, bukan di grup ini: "
            "siapa pun yang membukanya mendapat peran ini."
        ),
        en=(
            "✉️ Invitation #{invitation} ({badge}, for {uses} people, until {until}) created. "
            "Its link went to {name} in a private chat, not to this group: "
            "whoever opens it gets this role."
        ),
    ),
    Text(
        "trust_open_private_first",
        id=(
            "🔒 Tautan undangan hanya dikirim lewat chat pribadi, karena siapa pun yang membukanya "
            "mendapat perannya. {name}, buka {bot} dan tekan <b>Mulai</b> dulu, lalu ulangi perintah ini."
        ),
        en=(
            "🔒 Invitation links are sent only in a private chat, since whoever opens one gets its "
            "role. {name}, open {bot} and press <b>Start</b> first, then repeat this command."
        ),
    ),
    Text(
        "trust_group_joined",
        id="✅ {name} bergabung sebagai <b>{badge}</b> (undangan #{invitation}).",
        en="✅ {name} joined as <b>{badge}</b> (invitation #{invitation}).",
    ),
    Text(
        "trust_group_suspended",
        id=(
            "⏸ {ticket} ditutup sebagai iseng: status <b>{badge}</b> {name} ditangguhkan menunggu peninjauan "
            "(tanpa peringatan). Pulihkan: <code>/pulihkan {who}</code> · cabut: <code>/cabut {who}</code>"
        ),
        en=(
            "⏸ {ticket} closed as a prank: {name}'s status as <b>{badge}</b> is suspended pending review "
            "(no strike). Reinstate: <code>/pulihkan {who}</code> · revoke: <code>/cabut {who}</code>"
        ),
    ),
    # --- dispatchers: the list, revoking, reinstating -------------------------------------
    Text(
        "trust_list_title",
        id="✅ <b>Pelapor terpercaya — {count} orang</b>",
        en="✅ <b>Trusted reporters — {count} people</b>",
    ),
    Text(
        "trust_list_empty",
        id="Belum ada pelapor terpercaya. Undang dengan <code>/undang</code>.",
        en="No trusted reporters yet. Invite with <code>/undang</code>.",
    ),
    Text(
        "trust_list_person",
        id="• {name} · {reports} laporan · aktif terakhir {last}",
        en="• {name} · {reports} reports · last active {last}",
    ),
    Text(
        "trust_list_suspended",
        id="⏸ ditangguhkan, menunggu peninjauan",
        en="⏸ suspended, pending review",
    ),
    Text("trust_list_never", id="—", en="—"),
    Text(
        "usage_revoke",
        id="Pakai: <code>/cabut &lt;@username atau user id&gt;</code>",
        en="Usage: <code>/cabut &lt;@username or user id&gt;</code>",
    ),
    Text(
        "usage_reinstate",
        id="Pakai: <code>/pulihkan &lt;@username atau user id&gt;</code>",
        en="Usage: <code>/pulihkan &lt;@username or user id&gt;</code>",
    ),
    Text("trust_unknown_person", id="Pelapor {who} tidak dikenal.", en="Unknown reporter {who}."),
    Text(
        "trust_not_trusted",
        id="{who} bukan pelapor terpercaya.",
        en="{who} is not a trusted reporter.",
    ),
    Text(
        "trust_not_suspended",
        id="Status {who} tidak sedang ditangguhkan.",
        en="{who}'s status is not suspended.",
    ),
    Text(
        "trust_revoked",
        id="Status <b>{badge}</b> {who} dicabut dan yang bersangkutan diberi tahu. Laporan barunya tanpa tanda terverifikasi.",
        en="{who}'s status as <b>{badge}</b> is revoked and they have been told. Their new reports carry no verified badge.",
    ),
    Text(
        "trust_reinstated",
        id="Status <b>{badge}</b> {who} aktif kembali dan yang bersangkutan diberi tahu.",
        en="{who}'s status as <b>{badge}</b> is active again and they have been told.",
    ),
    # --- statistics -------------------------------------------------------------------------
    Text(
        "stats_trust",
        id=(
            "✅ Pelapor terpercaya: {trusted} laporan ({share}) · iseng {trusted_pranks}\n"
            "👥 Publik: {public} laporan · iseng {public_pranks}"
        ),
        en=(
            "✅ Trusted reporters: {trusted} reports ({share}) · pranks {trusted_pranks}\n"
            "👥 Public: {public} reports · pranks {public_pranks}"
        ),
    ),
    Text(
        "stats_trust_role",
        id="   {role}: {count} laporan · iseng {pranks}",
        en="   {role}: {count} reports · pranks {pranks}",
    ),
)
