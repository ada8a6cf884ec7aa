"""The sharing function."""

from rpm_core import cold_start

cold_start.begin()  # the runtime imports the package before its handler: see rpm_core.cold_start
