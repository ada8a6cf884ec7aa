"""The users function."""
