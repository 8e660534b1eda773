"""The reporter's side, in private chats: the guided report, SOS, status, relays, ratings,
invitations to a trusted role.

Each module is one feature; they never import each other. :mod:`.inbox` is the one
module that routes a private message to a feature.
"""
