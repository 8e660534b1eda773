"""Who may file: the prank-strike record and the per-reporter limit (pure domain)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.lifecycle import Disposition
from bot.domain.strikes import (
    FilingLimit,
    Refusal,
    StrikePolicy,
    StrikeRecord,
    filing_refusal,
    record_strike,
)

LIMIT = FilingLimit(3, timedelta(minutes=10))


@pytest.mark.parametrize("disposition", [d for d in Disposition if d is not Disposition.PRANK])
def test_only_a_prank_changes_the_record(disposition: Disposition) -> None:
    assert record_strike(StrikeRecord(1, False), disposition) is None


def test_strikes_add_up_to_a_block_at_the_policys_limit() -> None:
    policy = StrikePolicy(max_strikes=3)
    record = StrikeRecord()
    seen = []
    for _ in range(4):
        changed = record_strike(record, Disposition.PRANK, policy)
        assert changed is not None
        record = changed
        seen.append((record.strikes, record.blocked))
    assert seen == [(1, False), (2, False), (3, True), (4, True)]


def test_a_block_once_decided_stays_under_a_laxer_policy() -> None:
    after = record_strike(StrikeRecord(3, True), Disposition.PRANK, StrikePolicy(max_strikes=10))
    assert after == StrikeRecord(4, True)


def test_filing_refusal() -> None:
    assert filing_refusal(False, 2, LIMIT) is None
    assert filing_refusal(False, 3, LIMIT) is Refusal.RATE_LIMITED
    assert filing_refusal(True, 0, LIMIT) is Refusal.BLOCKED
