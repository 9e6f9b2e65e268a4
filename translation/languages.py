"""The languages Liaison speaks: the 24 official EU languages, Icelandic and Norwegian."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    english_name: str
    native_name: str


# Codes are ISO 639-1, as Django, gettext and argostranslate use them; Norwegian is
# Bokmål ("nb"), the written standard of nearly all Norwegian administration.
LANGUAGES: tuple[Language, ...] = (
    Language("bg", "Bulgarian", "български"),
    Language("cs", "Czech", "čeština"),
    Language("da", "Danish", "dansk"),
    Language("de", "German", "Deutsch"),
    Language("el", "Greek", "ελληνικά"),
    Language("en", "English", "English"),
    Language("es", "Spanish", "español"),
    Language("et", "Estonian", "eesti"),
    Language("fi", "Finnish", "suomi"),
    Language("fr", "French", "français"),
    Language("ga", "Irish", "Gaeilge"),
    Language("hr", "Croatian", "hrvatski"),
    Language("hu", "Hungarian", "magyar"),
    Language("is", "Icelandic", "íslenska"),
    Language("it", "Italian", "italiano"),
    Language("lt", "Lithuanian", "lietuvių"),
    Language("lv", "Latvian", "latviešu"),
    Language("mt", "Maltese", "Malti"),
    Language("nb", "Norwegian", "norsk"),
    Language("nl", "Dutch", "Nederlands"),
    Language("pl", "Polish", "polski"),
    Language("pt", "Portuguese", "português"),
    Language("ro", "Romanian", "română"),
    Language("sk", "Slovak", "slovenčina"),
    Language("sl", "Slovenian", "slovenščina"),
    Language("sv", "Swedish", "svenska"),
)

BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}


def is_supported(code: str) -> bool:
    return code in BY_CODE


def choices() -> list[tuple[str, str]]:
    """(code, name) pairs for a picker: each language in its own name, so anyone finds theirs."""
    return [(language.code, language.native_name) for language in LANGUAGES]


def localized(names: dict[str, str], language: str | None) -> str:
    """The text of a pre-translated name in `language`, else English, else any."""
    if language and names.get(language):
        return names[language]
    if names.get("en"):
        return names["en"]
    return next((text for text in names.values() if text), "")
