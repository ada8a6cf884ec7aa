"""Pydantic models of the contract: requests, responses and the entities' public form."""
