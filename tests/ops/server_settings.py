"""Settings of the servers the failure tests start: production settings, with a broker that
hands a dead worker's task out again after 5 s (instead of an hour) and checks every second."""

from zhicheng.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

# The manifest without gzip/brotli copies: production's lookups, a faster collectstatic.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}  # noqa: F405
