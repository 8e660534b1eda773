"""handlers.views."""
