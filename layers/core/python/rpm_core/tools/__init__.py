"""Command-line tools (not used by the functions)."""
