"""handlers.dispatch."""
