"""The ``kg`` command line: one thin module per command group over plain functions."""
