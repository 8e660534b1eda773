"""The domain: pure rules and values — no Telegram, no SQL, no network, no clock reads.

Reports, drafts and reporters (``models``), categories, the report lifecycle (a state
machine replayed from events), the 10-minute timers, prank strikes and duplicates, where
a point is (``geo``, ``gazetteer``, ``locating``), who is sent (``routing``), statistics
and export shapes. Everything here takes explicit inputs (``now`` included) and is
tested without a database or a bot. ``lint-imports`` keeps it that way.
"""
