"""Masking of what machine translation must not touch: case numbers, e-mail addresses,
URLs, numbers and dates, and references to EU law.

Each protected value is replaced by a placeholder before translation and put back after.
Placeholders are plain three-digit numbers (101, 102, …): translation models copy numbers
through in every script, where tags and underscores get translated, transliterated or (in
argostranslate, which turns `_` into a space) broken. A number of the original text is
itself masked, so no placeholder can be mistaken for one; a placeholder is never a digit
run that remains in the masked text (as the "3" of "3rd").

When a model drops a placeholder, its value is appended to the translation in parentheses:
a reader must still see the case number or the deadline, even where the sentence lost it.
"""

import re
from dataclasses import dataclass

# The law of the Union is cited with the Union's abbreviation in each language:
# EU, EC, EEC (en), UE, CE (fr, it, es, pt, ro, pl), EG (de), ЕС (bg), ΕΕ (el), EÚ (sk)…
_UNION = r"\((?:Euratom|[A-ZÀ-ÞΑ-ΩА-Я]{2,4})\)"
_ACT_NUMBER = r"(?:No\.?|Nr\.?|n[°º.]?)?\s?\d{1,4}/\d{1,4}"
# "2005/36/EC", "(EU) 2016/679", "(EC) No 1024/2012", "No 1024/2012": the designation
# of an act, the same in every language.
_DESIGNATION = (
    rf"(?:\d{{2,4}}/\d{{1,4}}/[A-ZÀ-ÞΑ-ΩА-Я]{{2,4}}\b"
    rf"|{_UNION}\s?{_ACT_NUMBER}"
    r"|No\.?\s?\d{1,4}/\d{1,4})"
)
# In English the kind of act belongs to the reference ("Directive 2005/36/EC"); in another
# language the word is left to the model and only the designation is protected.
_ACT = (
    r"\b(?:(?:Commission|Council)\s)?(?:(?:Implementing|Delegated)\s)?"
    rf"(?:Directive|Regulation|Decision)\s(?:{_DESIGNATION}|\d{{1,4}}/\d{{1,4}})"
)
# "Article 56", "Articles 56 and 57", "Article 4(2)(a)", "Art. 61", "art. 8": the "Art."
# abbreviation is shared by most EU languages.
_ARTICLE = (
    r"(?:\b[Aa]rticles?\s?|\b[Aa]rt\.\s?)\d+[a-z]?(?:\(\d+[a-z]?\)|\([a-z]\))*"
    r"(?:\s?(?:and|or|to|-|–)\s?\d+[a-z]?(?:\(\d+[a-z]?\)|\([a-z]\))*)?"
)
_URL = r"\b(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]}]"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b"
# "REQ-2026-000123", "IMI-12345", "DE-2026/17": letters, then at least one part with digits.
_CASE_NUMBER = r"\b[A-Z]{2,}[A-Z0-9]*(?:[-/][A-Z0-9]+)*[-/]\d[A-Z0-9]*(?:[-/][A-Z0-9]+)*\b"
# A number standing alone, with its separators: 42, 1,200.50, 12.03.2026, 2026-03-12, 14:30.
# Digits glued to letters ("3rd", "A4") are words the model should translate.
_NUMBER = r"(?<!\w)\d+(?:[.,:/-]\d+)*(?!\w)"

# At each position the first alternative that matches wins: the most specific come first.
PROTECTED = re.compile(
    "|".join(f"(?:{pattern})" for pattern in (_URL, _EMAIL, _ACT, _ARTICLE))
    + f"|{_DESIGNATION}|(?:{_CASE_NUMBER})|(?:{_NUMBER})"
)

FIRST_PLACEHOLDER = 101
LAST_PLACEHOLDER = 999
_PLACEHOLDER = re.compile(r"(?<!\d)\d{3}(?!\d)")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Token:
    placeholder: str
    value: str


_PLACEHOLDERS = tuple(str(number) for number in range(FIRST_PLACEHOLDER, LAST_PLACEHOLDER + 1))


def _free_placeholders(taken: set[str]) -> list[str]:
    return [placeholder for placeholder in _PLACEHOLDERS if placeholder not in taken]


def mask(text: str) -> tuple[str, list[Token]]:
    """`text` with every protected value replaced by a placeholder, and the placeholders.

    The same value gets the same placeholder, so the model sees a consistent sentence.
    Past the last placeholder (hundreds of values in one message) values stay as they are.
    """
    values = list(dict.fromkeys(match.group() for match in PROTECTED.finditer(text)))
    if not values:
        return text, []
    taken = set(_DIGITS.findall(PROTECTED.sub(" ", text)))
    free = _free_placeholders(taken)
    while len(values) > len(free):
        # Values past the last placeholder stay in the text: no placeholder may be one of
        # their digit runs, or unmasking would turn that value into another.
        left = {digits for value in values[len(free) :] for digits in _DIGITS.findall(value)}
        if left <= taken:
            break
        taken |= left
        free = _free_placeholders(taken)
    placeholder_of = {value: placeholder for value, placeholder in zip(values, free, strict=False)}
    masked = PROTECTED.sub(lambda match: placeholder_of.get(match.group(), match.group()), text)
    return masked, [Token(placeholder, value) for value, placeholder in placeholder_of.items()]


def unmask(translated: str, tokens: list[Token]) -> str:
    """`translated` with the protected values back in place of their placeholders; values
    whose placeholder the model lost are appended in parentheses."""
    if not tokens:
        return translated
    value_of = {token.placeholder: token.value for token in tokens}
    seen: set[str] = set()

    def restore(match: re.Match[str]) -> str:
        placeholder = match.group()
        if placeholder not in value_of:
            return placeholder
        seen.add(placeholder)
        return value_of[placeholder]

    restored = _PLACEHOLDER.sub(restore, translated)
    lost = [token.value for token in tokens if token.placeholder not in seen]
    if lost:
        restored = f"{restored.rstrip()} ({'; '.join(lost)})"
    return restored
