"""What the explorer's search box needs to suggest names as the resolver does.

A name the search box cannot find gets the did-you-mean of :meth:`kg.query.resolve.Names.suggest`
(``kg describe``, ``kg path``, the server): the page (``kg/web/explorer-search.js``) runs the
same steps in the browser, comparing what was typed with each drawn node's names by characters
and by sound. Python gives it what a browser cannot compute: every name's keys as the resolver
computes them (:func:`~kg.query.resolve.compact_key`, :func:`~kg.query.resolve.sound_key`), and,
for what a person types later, the toneless pinyin of the 6,763 characters of GB 2312 and the
Traditional forms that fold to them. (A typed character is read alone, so a character with two
readings is read as pypinyin reads it alone; names in the data are read in context.)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from kg.data.hanzi import has_hanzi, traditional_forms
from kg.data.prefixes import PREFIXES
from kg.query.resolve import compact_key, sound_key

__all__ = ["common_characters", "search_index"]

_RESOURCE = PREFIXES["kgr"]


@functools.cache
def common_characters() -> tuple[str, ...]:
    """The 6,763 Simplified characters of GB 2312, in its order."""
    found = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:  # the unassigned end of row 55
                continue
    return tuple(found)


@functools.cache
def _sounds() -> dict[str, str]:
    """Toneless pinyin → the common characters read so (read one by one)."""
    from pypinyin import lazy_pinyin

    chars = common_characters()
    table: dict[str, str] = {}
    for char, syllable in zip(chars, lazy_pinyin(list(chars)), strict=True):
        table[syllable] = table.get(syllable, "") + char
    return table


@functools.cache
def _variants() -> dict[str, str]:
    return traditional_forms(common_characters())


def _names(node: dict[str, Any]) -> list[str]:
    """A node's names as the resolver indexes them: labels, aliases, resource local name."""
    texts = [node["label_zh"], node["label_en"], *node["aliases"]]
    names = [text for text in texts if text and text != node["id"]]
    if node["id"].startswith(_RESOURCE):
        names.append(node["id"][len(_RESOURCE) :])
    return names


def search_index(nodes: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The search box's data for ``nodes`` (the page's node records).

    Returns:
        ``keys``: per node ``[id, compact keys, sound keys]`` (sound keys of names with Chinese
        characters only, as the resolver's sound index); ``sounds``: pinyin → characters;
        ``variants``: Traditional character → Simplified, for the common characters.
    """
    keys = []
    for node in nodes:
        names = _names(node)
        keys.append(
            [
                node["id"],
                sorted({compact_key(name) for name in names} - {""}),
                sorted({sound_key(name) for name in names if has_hanzi(name)}),
            ]
        )
    return {"keys": keys, "sounds": _sounds(), "variants": _variants()}
