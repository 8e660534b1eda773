"""Dispatch-chat insight: statistics and exports."""
