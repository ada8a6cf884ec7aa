"""The docs function."""
