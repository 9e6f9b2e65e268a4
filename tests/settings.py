"""Settings for the test suite: the real settings, with what only tests need on top."""

import os

# Test servers speak plain HTTP on loopback.
os.environ.setdefault("LIAISON_HTTPS", "0")

from config.settings import *  # noqa: F403

# Hashing strength is not under test, and the strong default costs ~0.3 s per sign-in.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
