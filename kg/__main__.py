"""``python -m kg``: the same as the ``kg`` command."""

from kg.cli.entry import run

run()
