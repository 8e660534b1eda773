"""The pacer: Telegram's flood limits as budgets (bot/domain/pacing.py)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from bot.domain.pacing import Budgets, Pacer

T0 = datetime(2026, 3, 27, 5, 0, tzinfo=UTC)
GROUP, OTHER_GROUP, PERSON = -100123, -100456, 4242


def sends(pacer: Pacer, chat: int, count: int, start: datetime = T0) -> list[datetime]:
    """``count`` messages, each sent at the first slot it is given."""
    out = []
    now = start
    for _ in range(count):
        now = pacer.reserve(chat, now)
        out.append(now)
    return out


def most_in(stamps: list[datetime], window: timedelta) -> int:
    return max(sum(1 for s in stamps if t <= s < t + window) for t in stamps)


def test_a_group_never_gets_more_than_its_minute_budget_and_is_evenly_spaced() -> None:
    stamps = sends(Pacer(), GROUP, 200)
    assert most_in(stamps, timedelta(seconds=60)) <= 20
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 1.0  # at least a second apart
    # Once the small burst is used, evenly spaced: never 20 at once and then a long silence.
    assert max(gaps) < 4.0
    # …and the budget is used: about 17 a minute (18 after a burst of 2, less 5 % margin).
    assert 17 <= sum(1 for s in stamps if s < T0 + timedelta(minutes=10)) / 10 <= 20


def test_after_a_quiet_spell_a_group_message_goes_at_once() -> None:
    pacer = Pacer()
    sends(pacer, GROUP, 30)
    later = T0 + timedelta(minutes=5)
    assert pacer.slot(GROUP, later) == later


def test_a_private_chat_gets_one_message_a_second_and_chats_do_not_wait_for_each_other() -> None:
    pacer = Pacer()
    stamps = sends(pacer, PERSON, 10)
    assert all((b - a) >= timedelta(seconds=1) for a, b in itertools.pairwise(stamps))
    assert pacer.slot(OTHER_GROUP, T0) == T0  # another chat has its own budget
    assert pacer.slot(PERSON + 1, T0) == T0


def test_all_chats_together_stay_within_thirty_a_second() -> None:
    pacer = Pacer()
    stamps = []
    now = T0
    for person in range(300):
        now = pacer.reserve(10_000 + person, now)
        stamps.append(now)
    assert most_in(stamps, timedelta(seconds=1)) <= 30


def test_edits_keep_a_second_apart_but_do_not_use_a_groups_minute() -> None:
    pacer = Pacer(Budgets(group_per_minute=3, group_burst=1))
    first = pacer.reserve(GROUP, T0)
    new_message = pacer.slot(GROUP, first + timedelta(seconds=2))
    edit = pacer.slot(GROUP, first + timedelta(seconds=2), edit=True)
    assert edit == first + timedelta(seconds=2)
    assert new_message > edit  # the minute's budget is spent for new messages


def test_a_retry_after_holds_the_chat() -> None:
    pacer = Pacer()
    pacer.hold(GROUP, T0 + timedelta(seconds=30))
    assert pacer.slot(GROUP, T0) == T0 + timedelta(seconds=30)
    assert pacer.slot(PERSON, T0) == T0


def test_disabled_every_slot_is_now() -> None:
    pacer = Pacer(enabled=False)
    assert sends(pacer, GROUP, 50) == [T0] * 50


def test_a_clock_stepped_back_delays_no_chat() -> None:
    pacer = Pacer()
    sends(pacer, GROUP, 25)  # the group's budget is used up
    pacer.hold(PERSON, T0 + timedelta(seconds=30))
    back = timedelta(hours=1)
    now = T0 + timedelta(minutes=10) - back  # ten quiet minutes later, read an hour back
    pacer.clock_went_back(back)
    assert pacer.slot(GROUP, now) == now
    assert pacer.slot(PERSON, now) == now
