"""What must not change is masked before translation and restored after."""

import re

import pytest

from translation.masking import Token, mask, unmask

PROTECTED = [
    ("Please see REQ-2026-000123 today.", ["REQ-2026-000123"]),
    ("Write to anna.becker@bund.example please.", ["anna.becker@bund.example"]),
    (
        "Details: https://ec.europa.eu/imi-net/index_en.htm.",
        ["https://ec.europa.eu/imi-net/index_en.htm"],
    ),
    ("Look at www.example.eu/a?b=1, then reply.", ["www.example.eu/a?b=1"]),
    ("Under Directive 2005/36/EC we ask.", ["Directive 2005/36/EC"]),
    ("Under Article 56 we ask.", ["Article 56"]),
    ("Under Art. 61 we ask.", ["Art. 61"]),
    ("Under Regulation (EU) 2016/679 we ask.", ["Regulation (EU) 2016/679"]),
    ("Regulation (EC) No 1024/2012 applies.", ["Regulation (EC) No 1024/2012"]),
    ("Article 4(2)(a) applies.", ["Article 4(2)(a)"]),
    ("Articles 56 and 57 apply.", ["Articles 56 and 57"]),
    ("Gemäß Richtlinie 2005/36/EG.", ["2005/36/EG"]),
    ("Verordnung (EU) 2016/679 gilt.", ["(EU) 2016/679"]),
    ("Регламент (ЕС) 2016/679 се прилага.", ["(ЕС) 2016/679"]),
    ("Règlement (UE) n° 1024/2012.", ["(UE) n° 1024/2012"]),
    ("Until 12.03.2026 or 2026-03-12 at 14:30.", ["12.03.2026", "2026-03-12", "14:30"]),
    ("It costs 1,200.50 EUR, 10% more.", ["1,200.50", "10"]),
    ("See IMI-12345 and DE-2026/17.", ["IMI-12345", "DE-2026/17"]),
]


@pytest.mark.parametrize(("text", "values"), PROTECTED)
def test_protected_values_are_replaced_by_numbers_and_come_back(text, values):
    masked, tokens = mask(text)

    assert [token.value for token in tokens] == values
    without_placeholders = re.sub(r"(?<!\d)\d{3}(?!\d)", "#", masked)
    for value in values:
        assert value not in without_placeholders
    for token in tokens:
        assert token.placeholder.isdigit() and token.placeholder in masked
    assert "_" not in masked  # argostranslate turns underscores into spaces
    assert unmask(masked, tokens) == text


@pytest.mark.parametrize(
    "text",
    ["Thank you very much!", "The 3rd request and the A4 form.", "", "Kind regards,\nAnna"],
)
def test_text_without_protected_values_is_unchanged(text):
    assert mask(text) == (text, [])


def test_multi_line_text_keeps_its_lines():
    text = (
        "Dear colleague,\n"
        "case REQ-2026-000001 concerns anna@bund.example.\n"
        "\n"
        "Article 4(2)(a) of Directive 2005/36/EC applies from 01.05.2026."
    )
    masked, tokens = mask(text)

    assert masked.count("\n") == 3
    assert masked == "Dear colleague,\ncase 101 concerns 102.\n\n103 of 104 applies from 105."
    assert unmask(masked, tokens) == text


def test_a_repeated_value_gets_one_placeholder():
    masked, tokens = mask("REQ-2026-000001 and again REQ-2026-000001")

    assert masked == "101 and again 101"
    assert len(tokens) == 1


def test_a_placeholder_never_equals_digits_left_in_the_text():
    masked, tokens = mask("The 101st item of 5 and the 102nd of 7.")

    assert [token.placeholder for token in tokens] == ["103", "104"]
    assert unmask(masked, tokens) == "The 101st item of 5 and the 102nd of 7."


def test_placeholders_moved_or_repeated_by_the_model_are_restored():
    tokens = [Token("101", "REQ-2026-000001"), Token("102", "12.03.2026")]

    assert unmask("By 102 answer 101; 101 again.", tokens) == (
        "By 12.03.2026 answer REQ-2026-000001; REQ-2026-000001 again."
    )


def test_values_whose_placeholder_the_model_lost_are_appended():
    tokens = [Token("101", "REQ-2026-000001"), Token("102", "anna@bund.example")]

    assert unmask("Please answer the request 101. ", tokens) == (
        "Please answer the request REQ-2026-000001. (anna@bund.example)"
    )
    assert unmask("Nothing left", tokens) == "Nothing left (REQ-2026-000001; anna@bund.example)"
