"""Use cases: one function = one transaction.

A service opens a unit of work on the database, asks the domain what happens, stores it
through ``storage`` and queues every message the change sends in the durable outbox — all
in the same transaction. Services know no Telegram: what a message says comes from a
renderer the caller passes in (the handlers' views), so the rule and the words stay apart.
"""
