"""Shared code of the RPM backend: domain models, services, data access and HTTP glue.

Packaged as the ``core`` Lambda layer; importable locally from ``layers/core/python``.
"""
