"""Settings for the test suite: the real settings, with what only tests need on top."""

import os

# Test servers speak plain HTTP on loopback.
os.environ.setdefault("LIAISON_HTTPS", "0")

from config.settings import *  # noqa: F403

# Hashing strength is not under test, and the strong default costs ~0.3 s per sign-in.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Translation: an empty package folder, never the operator's models (tests/translation
# installs its tiny packages in a folder of its own); jobs run in the committing thread, so
# a test that executes on-commit callbacks sees translations stored, and no background
# thread touches the test database.
if "LIAISON_TRANSLATION_DIR" not in os.environ:
    TRANSLATION_DIR = VAR_DIR / "test-translation"  # noqa: F405
if "TRANSLATION_QUEUE" not in os.environ:
    TRANSLATION_QUEUE = "inline"
TRANSLATION_SWEEP_INTERVAL = 0
TRANSLATION_WARM = False
