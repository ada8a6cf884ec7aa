"""The audit digest function."""
