"""The translation engine: argostranslate behind one call, `translate(text, source, target)`.

argostranslate keeps, for every package it has used, a CTranslate2 translator (100-300 MB
for a real model) in the `translator` attribute of a `PackageTranslation`, and keeps those
objects for the life of the process (the module-global `installed_translates`, reached
through the `lru_cache` of `get_installed_languages()`). Liaison bypasses that cache: it
builds argostranslate's `PackageTranslation` for a pair when it is needed, with its
translator loaded up front, and keeps at most TRANSLATION_MAX_MODELS of them, least
recently used out. An evicted model is only dropped, never mutated, so a thread still
translating with it finishes; the memory is freed with the last reference.

CTranslate2 stops decoding a sentence after 256 tokens (argostranslate's call keeps that
default) and drops the rest without a word: a sentence longer than MAX_PIECE_TOKENS is
translated in pieces, cut between words, so that nothing of a long text is lost.
"""

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from translation import argos, catalogue
from translation.catalogue import InstalledPackage, Pair
from translation.masking import mask, unmask

logger = logging.getLogger(__name__)

ENGINE = "argos"
OK = "ok"
NO_MODEL = "no_model"
FAILED = "failed"

# Well under CTranslate2's 256 decoded tokens: a translation may be longer than its source.
MAX_PIECE_TOKENS = 150


@dataclass(frozen=True)
class Outcome:
    """What a translation gave: the text when `status` is OK, else why not."""

    text: str
    status: str
    engine: str = ENGINE
    model_version: str = ""
    pivot: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK


class LoadedModels:
    """At most `capacity` loaded models, the least recently used unloaded first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = max(1, capacity)
        self._models: OrderedDict[Pair, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, package: InstalledPackage) -> Any:
        """argostranslate's PackageTranslation for `package`, loaded if it was not."""
        with self._lock:
            model = self._models.get(package.pair)
            if model is None:
                model = load_model(package)
                self._models[package.pair] = model
            self._models.move_to_end(package.pair)
            while len(self._models) > self.capacity:
                unloaded, _ = self._models.popitem(last=False)
                logger.info("Unloaded the %s→%s model", *unloaded)
            return model

    def pairs(self) -> list[Pair]:
        """The loaded pairs, least recently used first."""
        with self._lock:
            return list(self._models)

    def clear(self) -> None:
        with self._lock:
            self._models.clear()


def _compute_type(requested: str) -> str:
    """The requested CTranslate2 compute type if this CPU runs it efficiently, else auto."""
    import ctranslate2

    if requested == "auto" or requested in ctranslate2.get_supported_compute_types("cpu"):
        return requested
    logger.warning("This CPU has no efficient %s; using auto", requested)
    return "auto"


def load_model(package: InstalledPackage) -> Any:
    """argostranslate's own translation object for one package, its model loaded now, so
    that no two threads race to load it lazily."""
    import ctranslate2

    modules = argos.load()
    argos_package = modules.package.Package(package.path)
    source = modules.translate.Language(package.source, argos_package.from_name)
    target = modules.translate.Language(package.target, argos_package.to_name)
    translation = modules.translate.PackageTranslation(source, target, argos_package)
    translation.translator = ctranslate2.Translator(
        str(package.path / "model"),
        device=modules.settings.device,
        inter_threads=modules.settings.inter_threads,
        intra_threads=modules.settings.intra_threads,
        compute_type=_compute_type(modules.settings.compute_type),
    )
    logger.info("Loaded the %s model", package)
    return translation


def model_version(route: list[InstalledPackage]) -> str:
    """e.g. "argos 1.11.0 de→en 1.9", or "argos 1.11.0 de→en 1.9 + en→fr 1.9" through English."""
    return f"{ENGINE} {argos.version()} " + " + ".join(str(package) for package in route)


class Engine:
    """Translates with the packages installed under TRANSLATION_DIR.

    Packages installed or removed by another process (`manage.py translation_packages`)
    are noticed at the next call: the packages folder changes, the catalogue is read again
    and loaded models are dropped.
    """

    def __init__(self, *, max_models: int) -> None:
        self.models = LoadedModels(max_models)
        self._catalogue: dict[Pair, InstalledPackage] = {}
        self._fingerprint: int | None = None
        self._lock = threading.Lock()

    def catalogue(self) -> dict[Pair, InstalledPackage]:
        folder = argos.packages_dir()
        current = catalogue.fingerprint(folder)
        with self._lock:
            if current != self._fingerprint:
                if self._fingerprint is not None:
                    self.models.clear()
                self._catalogue = catalogue.installed(folder)
                self._fingerprint = current
            return self._catalogue

    def can_translate(self, source: str, target: str) -> bool:
        return source == target or catalogue.route(self.catalogue(), source, target) is not None

    def warm(self) -> None:
        """Imports argostranslate now, so that the first message does not wait for it."""
        if self.catalogue():
            argos.load()

    def loaded_pairs(self) -> list[Pair]:
        return self.models.pairs()

    def translate(self, text: str, source: str, target: str) -> Outcome:
        """`text` in `target`; never raises for a missing or broken model. A text without a
        letter (blank, emoji, numbers) comes back as it is: a model has nothing to
        translate there, and makes things up."""
        if source == target or not has_words(text):
            return Outcome(text, OK)
        route = catalogue.route(self.catalogue(), source, target)
        if route is None:
            return Outcome("", NO_MODEL, reason=f"No model translates {source}→{target}")
        try:
            masked, tokens = mask(text)
            for package in route:
                masked = self._run(package, masked)
            translated = unmask(masked, tokens)
        except Exception as error:
            logger.exception("Translating %s→%s failed", source, target)
            return Outcome("", FAILED, reason=f"{type(error).__name__}: {error}")
        pivot = catalogue.PIVOT if len(route) == 2 else ""
        return Outcome(translated, OK, model_version=model_version(route), pivot=pivot)

    def _run(self, package: InstalledPackage, text: str) -> str:
        model = self.models.get(package)
        return "\n".join(_translate_paragraph(model, paragraph) for paragraph in text.split("\n"))


def has_words(text: str) -> bool:
    """Whether `text` has a letter of any script, something a model can translate."""
    return any(character.isalpha() for character in text)


def _translate_paragraph(model: Any, paragraph: str) -> str:
    if not paragraph.strip():
        return paragraph
    pieces = split_long(paragraph, model)
    translated = [model.hypotheses(piece, num_hypotheses=1)[0].value for piece, _ in pieces]
    joiners = [joiner for _, joiner in pieces[:-1]] + [""]
    return "".join(text + joiner for text, joiner in zip(translated, joiners, strict=True))


def split_long(paragraph: str, model: Any) -> list[tuple[str, str]]:
    """The paragraph in pieces of at most MAX_PIECE_TOKENS tokens of the model, each with
    what joins it to the next: whole sentences (as argostranslate's own sentencizer splits
    them) where they fit, else runs of words, else runs of characters. A paragraph that
    fits is one piece, translated in one batch as argostranslate does."""
    tokenizer = model.pkg.tokenizer

    def count(text: str) -> int:
        return len(tokenizer.encode(text))

    if count(paragraph) <= MAX_PIECE_TOKENS:
        return [(paragraph, "")]
    pieces: list[tuple[str, str]] = []
    current: list[str] = []
    size = 0
    for sentence in model.sentencizer.split_sentences(paragraph):
        tokens = count(sentence)
        if current and size + tokens > MAX_PIECE_TOKENS:
            pieces.append((" ".join(current), " "))
            current, size = [], 0
        if tokens <= MAX_PIECE_TOKENS:
            current.append(sentence)
            size += tokens
        else:
            pieces.extend(_split_sentence(sentence, count))
    if current:
        pieces.append((" ".join(current), " "))
    return pieces


def _split_sentence(sentence: str, count) -> list[tuple[str, str]]:
    """A sentence too long for the model, in runs of words (a word too long, in runs of
    characters), each joined to the next as in the source."""
    pieces: list[tuple[str, str]] = []
    current: list[str] = []
    size = 0
    for word in sentence.split():
        tokens = count(word)
        if current and size + tokens > MAX_PIECE_TOKENS:
            pieces.append((" ".join(current), " "))
            current, size = [], 0
        if tokens <= MAX_PIECE_TOKENS:
            current.append(word)
            size += tokens
            continue
        step = max(1, len(word) * MAX_PIECE_TOKENS // (2 * tokens))
        chunks = [word[start : start + step] for start in range(0, len(word), step)]
        pieces.extend((chunk, "") for chunk in chunks[:-1])
        pieces.append((chunks[-1], " "))
    if current:
        pieces.append((" ".join(current), " "))
    return pieces


_default: Engine | None = None
_default_lock = threading.Lock()


def default_engine() -> Engine:
    """The process's engine: one set of loaded models shared by every worker thread."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Engine(max_models=settings.TRANSLATION_MAX_MODELS)
        return _default


def translate(text: str, source: str, target: str) -> Outcome:
    return default_engine().translate(text, source, target)
