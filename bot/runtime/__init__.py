"""The composition root and everything that runs: the only layer that wires the others.

``app`` builds python-telegram-bot's Application with the services, the handlers and the
update ``processor``; the ``outbox`` worker delivers what the services queued; ``jobs``
are the periodic loops (timers, draft expiry, retention, summaries); ``cli`` is
``python -m bot``; ``demo`` the offline demo; ``geocoding`` the network geocoder client;
``logs`` logging with redaction.
"""
