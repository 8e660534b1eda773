"""Semarang 112 Telegram bot: domain logic (pure) and the wiring that runs it.

Pure domain modules (no Telegram, no SQL): ``models``, ``categories``, ``lifecycle``,
``geo``, ``routing``, ``timers``, ``duplicates``. Wiring: ``config``, ``app``,
``outbox``, ``processor``, ``logs``, ``demo`` and ``__main__`` (``python -m bot``).
"""

import os

# python-telegram-bot 22 is migrating time periods (e.g. RetryAfter.retry_after) from
# int seconds to datetime.timedelta and warns on every int access; opt in to the new
# behaviour so the project never depends on the deprecated form.
os.environ.setdefault("PTB_TIMEDELTA", "true")
