"""argostranslate, imported on first use with its environment set for offline work.

argostranslate reads its settings from the environment once, when it is imported, and
imports stanza and torch (2-3 s, hundreds of MB): so nothing imports it at Django start,
and the first import sets every variable it reads to folders under TRANSLATION_DIR."""

import functools
import importlib.metadata
import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: "Argos | None" = None


@dataclass(frozen=True)
class Argos:
    """The argostranslate modules Liaison uses, once imported."""

    base: Path
    package: ModuleType
    translate: ModuleType
    settings: ModuleType


def directory() -> Path:
    return Path(settings.TRANSLATION_DIR)


def packages_dir() -> Path:
    """Where installed language packages live, one folder each."""
    return directory() / "packages"


@functools.cache
def version() -> str:
    """The installed argostranslate version, read without importing it (once: reading
    the distribution's metadata costs a third of a millisecond)."""
    return importlib.metadata.version("argostranslate")


def environment(base: Path) -> dict[str, str]:
    """The variables argostranslate reads at import.

    The XDG folders keep its data, configuration and cache under `base` instead of the
    home directory. Sentences are split by spaCy's rule-based sentencizer (SPACY): the
    default MiniSBD and the stanza models of real packages download resources.
    """
    return {
        "ARGOS_PACKAGES_DIR": str(base / "packages"),
        "XDG_DATA_HOME": str(base / "data"),
        "XDG_CONFIG_HOME": str(base / "config"),
        "XDG_CACHE_HOME": str(base / "cache"),
        "ARGOS_CHUNK_TYPE": "SPACY",
        "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_INTER_THREADS": "1",
        "ARGOS_INTRA_THREADS": str(settings.TRANSLATION_INTRA_THREADS),
        "ARGOS_BEAM_SIZE": str(settings.TRANSLATION_BEAM_SIZE),
        "ARGOS_COMPUTE_TYPE": settings.TRANSLATION_COMPUTE_TYPE,
    }


def _prepare_sentencizer(base: Path) -> None:
    """A blank multilingual spaCy pipeline where argostranslate looks for its cached one.

    With ARGOS_CHUNK_TYPE=SPACY, a package without its own `spacy/` folder (most real
    packages ship `stanza/`) is split with the pipeline cached in
    `$XDG_CACHE_HOME/argos-translate/spacy`; when `senter/model` is missing there, the import
    tries to download one. A blank pipeline plus the rule-based sentencizer argostranslate
    adds needs no download and splits sentences on punctuation in every language.
    """
    cache = base / "cache" / "argos-translate" / "spacy"
    marker = cache / "senter" / "model"
    if (cache / "config.cfg").exists() and marker.exists():
        return
    import spacy

    cache.parent.mkdir(parents=True, exist_ok=True)
    spacy.blank("xx").to_disk(cache)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def _normalize_index_url() -> None:
    """argostranslate appends "index.json" to ARGOS_PACKAGE_INDEX as it is: it must end in /."""
    index = os.environ.get("ARGOS_PACKAGE_INDEX")
    if index and not index.endswith("/"):
        os.environ["ARGOS_PACKAGE_INDEX"] = index + "/"


def _warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


def load() -> Argos:
    """argostranslate, imported once per process under a lock."""
    global _loaded
    if _loaded is not None and _loaded.base == directory():
        return _loaded
    with _lock:
        base = directory()
        if _loaded is not None:
            if _loaded.base != base:
                raise RuntimeError(
                    f"argostranslate is configured for {_loaded.base}, not {base}: "
                    "TRANSLATION_DIR cannot change once it is imported"
                )
            return _loaded
        if "argostranslate.settings" in sys.modules:
            imported = Path(sys.modules["argostranslate.settings"].package_data_dir)
            if imported != base / "packages":
                raise RuntimeError(
                    f"argostranslate was imported before Liaison configured it "
                    f"(packages in {imported}, not {base / 'packages'})"
                )
        for folder in ("packages", "data", "config", "cache"):
            (base / folder).mkdir(parents=True, exist_ok=True)
        os.environ.update(environment(base))
        _normalize_index_url()
        _prepare_sentencizer(base)
        # argostranslate logs every paragraph it translates at INFO, and resets its logger's
        # level when imported: a filter keeps message text (personal data) out of the logs.
        logging.getLogger("argostranslate.utils").addFilter(_warnings_only)
        import argostranslate.package
        import argostranslate.settings
        import argostranslate.translate

        # Its import set the level to INFO: raised again, records of paragraphs are not
        # even made (a few hundred microseconds per translation); the filter stays.
        logging.getLogger("argostranslate.utils").setLevel(logging.WARNING)
        _loaded = Argos(
            base=base,
            package=argostranslate.package,
            translate=argostranslate.translate,
            settings=argostranslate.settings,
        )
        return _loaded
