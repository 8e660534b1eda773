"""What people read: the text catalogue, HTML rendering, keyboards, cards, charts.

Views build messages (:class:`~bot.domain.models.OutboundMessage` payloads and keyboards)
and never send them.
"""
