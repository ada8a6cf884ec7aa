"""``make bench``: what the backend's own code costs on top of the storage it needs.

Figures are ratios against a baseline measured in the same run, on the same machine, against the
same moto: see ``bench.run``. Results go to ``bench/results.json`` (not committed) and a table.
"""
