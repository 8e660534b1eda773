"""Emergency categories the command center handles, with their icons and urgency.

Their names, in every language, are in the text catalogue (``handlers/views/texts``,
``category_<key>``).

Keys follow the category → agency table in ``bot/data`` (routing). Life-threatening
categories are delivered first by the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """Category keys as stored in the database and used in callback data."""

    MEDICAL_EMERGENCY = "medical_emergency"
    AMBULANCE = "ambulance_hebat"
    CRIME = "crime"
    DISASTER = "disaster"
    FIRE = "fire"
    TRAFFIC_ACCIDENT = "traffic_accident"
    PUBLIC_ORDER = "security_public_order"
    WILD_ANIMAL = "wild_animal_evacuation"
    FALLEN_TREE = "fallen_tree"
    ELECTRICAL = "electrical_short_circuit"
    CORPSE_FOUND = "corpse_found"
    OTHER = "other"
    UNKNOWN = "unknown"  # an SOS before the reporter said what happened


@dataclass(frozen=True)
class CategoryInfo:
    """How a category is shown and how urgent it is by nature."""

    icon: str
    life_threatening: bool


CATEGORIES: dict[Category, CategoryInfo] = {
    Category.MEDICAL_EMERGENCY: CategoryInfo("🩺", True),
    Category.AMBULANCE: CategoryInfo("🚑", True),
    Category.CRIME: CategoryInfo("🚨", True),
    Category.DISASTER: CategoryInfo("🌊", True),
    Category.FIRE: CategoryInfo("🔥", True),
    Category.TRAFFIC_ACCIDENT: CategoryInfo("💥", True),
    Category.PUBLIC_ORDER: CategoryInfo("👮", False),
    Category.WILD_ANIMAL: CategoryInfo("🐍", False),
    Category.FALLEN_TREE: CategoryInfo("🌳", False),
    Category.ELECTRICAL: CategoryInfo("⚡", False),
    Category.CORPSE_FOUND: CategoryInfo("⚰️", False),
    Category.OTHER: CategoryInfo("❓", False),
    Category.UNKNOWN: CategoryInfo("🆘", True),
}

# What a reporter can choose (UNKNOWN is only ever set by the SOS path).
CHOOSABLE: tuple[Category, ...] = tuple(c for c in CATEGORIES if c is not Category.UNKNOWN)


def info(category: Category) -> CategoryInfo:
    """Display facts of one category."""
    return CATEGORIES[category]


def delivery_priority(category: Category, *, to_dispatch: bool, sos: bool = False) -> int:
    """Outbox order: SOS cards, then life-threatening cards, other cards, reporter notices."""
    if to_dispatch:
        if sos:
            return 40
        return 30 if CATEGORIES[category].life_threatening else 20
    return 10
