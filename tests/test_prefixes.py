"""IRIs written short (``shorten``): the longest known namespace, or ``<iri>``."""

from __future__ import annotations

import pytest

from kg.data.prefixes import PREFIXES, shorten


def longest_namespace_rule(iri: str) -> str:
    """The rule as stated: the longest namespace ``iri`` starts with, if its local part is plain."""
    covering = [p for p, namespace in PREFIXES.items() if iri.startswith(namespace)]
    if covering:
        best = max(covering, key=lambda p: len(PREFIXES[p]))  # the first of equals
        local = iri[len(PREFIXES[best]) :]
        if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
            return f"{best}:{local}"
    return f"<{iri}>"


def test_every_namespace_ends_where_an_iri_splits() -> None:
    assert all(namespace[-1] in "/#" for namespace in PREFIXES.values())


@pytest.mark.parametrize("namespace", sorted(set(PREFIXES.values())))
@pytest.mark.parametrize(
    "local",
    [
        *("Zhipu", "GLM-4.5", "a_b", "", "x.", "a/b", "a#b", "智谱", "x y", "v1.0", "graph/x"),
        *("x-", "_", ".x", "a..b", "a²", "Ⅷ", "٣", "é", "a\u0301", "a+b", "a%20b", "a\nb", "ａｂ"),
    ],
)
def test_shorten_follows_the_longest_namespace_rule(namespace: str, local: str) -> None:
    iri = namespace + local
    assert shorten(iri) == longest_namespace_rule(iri)


@pytest.mark.parametrize(
    ("iri", "short"),
    [
        ("https://w3id.org/zhipu-kg/resource/Zhipu", "kgr:Zhipu"),
        ("https://w3id.org/zhipu-kg/graph/curation", "kgg:curation"),  # not the base's own
        ("https://w3id.org/zhipu-kg/ontology#fundedBy", "kg:fundedBy"),
        ("https://w3id.org/zhipu-kg/other/x", "<https://w3id.org/zhipu-kg/other/x>"),
        ("http://example.org/x", "<http://example.org/x>"),
        ("urn:x-kg-push:staging:abc", "<urn:x-kg-push:staging:abc>"),
        ("https://schema.org/", "<https://schema.org/>"),
        ("", "<>"),
    ],
)
def test_shorten(iri: str, short: str) -> None:
    assert shorten(iri) == short
