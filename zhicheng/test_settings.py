"""Settings for the test suite: the production settings with a development secret allowed."""

import os

os.environ.setdefault("ZHICHENG_ALLOW_DEV_SECRET", "1")
os.environ.setdefault("INSECURE_COOKIES", "1")

from zhicheng.settings import *  # noqa: E402, F403

# Static files are served from finders in tests; no collectstatic step needed.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
SMS_BACKEND = "zhicheng.notifications.backends.LocmemSmsBackend"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Argon2 (production's hasher) is deliberately slow; tests that check it switch it back on.
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PRODUCTION_PASSWORD_HASHERS]
# Background exports run at once, inside the request (no threads outliving a test).
ZHICHENG_JOB_RUNNER = "inline"
