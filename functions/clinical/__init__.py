"""The patients function."""
