"""Cases that kill the mutants the quantity tests let live (see docs/mutation.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.data.quantities import parse_quantity
from kg.data.quantity_numbers import cn_value, plain_value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # The older form: 四万万同胞 is four hundred million people; the last 万 scales 四万.
        ("四万万", 400_000_000),
        ("一万万", 100_000_000),
        ("三亿五千万", 350_000_000),
        ("十万八千", 108_000),
    ],
)
def test_a_numeral_with_a_repeated_magnitude_word(text: str, value: int) -> None:
    assert cn_value(text) == value
    assert plain_value(text) == Decimal(value)


def test_the_numeral_and_the_quantity_reader_agree_on_the_older_form() -> None:
    assert parse_quantity("四万万").value == Decimal(cn_value("四万万"))
