"""Remote SPARQL servers: the protocol client and ``kg push``.

:mod:`kg.remote.client` talks to a server; :mod:`kg.remote.push` loads one and checks it.

Nothing is imported here: :mod:`kg.remote.client` imports ``urllib.request``, which the default
engine's query path must not pay for. Import the submodules when a server is used.
"""
