"""Typed callback data: round trips, the 64-byte guard, forged and outdated data."""

from typing import ClassVar

import pytest

from bot.domain.categories import Category
from handlers import BUTTONS
from handlers.callback_data import (
    ALL,
    CallbackData,
    CallbackDataError,
    DraftAction,
    EditField,
    PickCategory,
)
from handlers.views.keyboards import categories, edit_menu, summary


def test_round_trip() -> None:
    data = PickCategory(draft="0a1b2c3d", category=Category.FIRE)
    assert PickCategory.unpack(data.pack()) == data
    assert DraftAction.unpack("d1:0a1b2c3d:send").action == "send"


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "c1",
        "c1:0a1b2c3d",
        "c1:0a1b2c3d:fire:extra",
        "c1:0A1B2C3D:fire",  # draft uid must be lower-case hex
        "c1:0a1b2c3d:arson",
        "c2:0a1b2c3d:fire",  # a newer/older version
        "d1:0a1b2c3d:delete_everything",
        "x1:0a1b2c3d:fire",
        "c1:'; DROP TABLE reports;--:fire",
    ],
)
def test_forged_or_truncated_data_is_refused(forged: str) -> None:
    with pytest.raises(CallbackDataError):
        PickCategory.unpack(forged) if not forged.startswith("d") else DraftAction.unpack(forged)


def test_pattern_only_matches_own_prefix() -> None:
    assert PickCategory.matches()("c1:0a1b2c3d:fire")
    assert not PickCategory.matches()("d1:0a1b2c3d:send")
    assert not EditField.matches()(None)


def test_separator_and_size_are_guarded() -> None:
    with pytest.raises(ValueError):
        EditField.model_construct(draft="a:b", field="phone").pack()
    with pytest.raises(ValueError):
        DraftAction.model_construct(draft="x" * 70, action="send").pack()


def test_every_button_the_bot_draws_fits_in_64_bytes() -> None:
    uid = "ffffffff"
    for lang in ("id", "en"):
        for markup in (categories(uid, lang), summary(uid, lang), edit_menu(uid, lang)):
            for row in markup.inline_keyboard:
                for button in row:
                    assert button.callback_data is not None
                    assert len(str(button.callback_data).encode()) <= 64


def test_prefixes_are_unique() -> None:
    prefixes = [cls.prefix for cls in ALL]
    assert len(prefixes) == len(set(prefixes))


def test_a_second_class_with_a_taken_prefix_fails_at_definition() -> None:
    with pytest.raises(TypeError, match="taken by PickCategory"):

        class Impostor(CallbackData):
            prefix: ClassVar[str] = "c"
            draft: str


def test_every_payload_class_reaches_exactly_one_handler() -> None:
    assert set(BUTTONS) == set(ALL)
    assert len({cls.prefix for cls in ALL}) == len(ALL)
