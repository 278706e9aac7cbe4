"""``python -m kg``: the same as the ``kg`` command."""

from kg.cli.main import main

main()
