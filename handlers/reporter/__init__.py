"""handlers.reporter."""
