"""Emergency categories the command center handles, with icons and labels.

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
    label_id: str
    label_en: str
    life_threatening: bool

    def label(self, lang: str) -> str:
        """The label in the given language ("id" or "en")."""
        return self.label_en if lang == "en" else self.label_id


CATEGORIES: dict[Category, CategoryInfo] = {
    Category.MEDICAL_EMERGENCY: CategoryInfo("🩺", "Darurat medis", "Medical emergency", True),
    Category.AMBULANCE: CategoryInfo("🚑", "Ambulans", "Ambulance", True),
    Category.CRIME: CategoryInfo("🚨", "Kriminal", "Crime", True),
    Category.DISASTER: CategoryInfo("🌊", "Bencana", "Disaster", True),
    Category.FIRE: CategoryInfo("🔥", "Kebakaran", "Fire", True),
    Category.TRAFFIC_ACCIDENT: CategoryInfo("💥", "Kecelakaan", "Traffic accident", True),
    Category.PUBLIC_ORDER: CategoryInfo(
        "👮", "Keamanan & ketertiban", "Security & public order", False
    ),
    Category.WILD_ANIMAL: CategoryInfo("🐍", "Evakuasi hewan buas", "Wild animal", False),
    Category.FALLEN_TREE: CategoryInfo("🌳", "Pohon tumbang", "Fallen tree", False),
    Category.ELECTRICAL: CategoryInfo(
        "⚡", "Konsleting listrik", "Electrical short circuit", False
    ),
    Category.CORPSE_FOUND: CategoryInfo("⚰️", "Penemuan mayat", "Body found", False),
    Category.OTHER: CategoryInfo("❓", "Lainnya", "Other", False),
    Category.UNKNOWN: CategoryInfo("🆘", "SOS — belum diketahui", "SOS — not known yet", True),
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
