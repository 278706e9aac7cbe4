"""Identity across sources, as nomenklatura does it: candidates, judgements, referents.

- :mod:`kg.identity.folding`: names compared across scripts, case and legal forms;
- :mod:`kg.identity.xref`: candidate pairs, each with a score and its evidence;
- :mod:`kg.identity.judgements`: the judgements file (same / not the same / unsure, with who,
  when and why as PROV), appended to and undone byte for byte;
- :mod:`kg.identity.merge`: the checks before a judgement is recorded, undo and split;
- :mod:`kg.identity.referents`: merged IRIs applied to the data as it loads.

This package imports only :mod:`kg.data` and :mod:`kg.errors`; the query layer imports
:mod:`kg.identity.referents` to apply merges, and the CLI the rest.
"""
