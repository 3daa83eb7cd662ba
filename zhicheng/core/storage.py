"""Where private files (evidence, authorisation letters) are stored: never under a public URL."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """The ``private`` storage of ``settings.STORAGES`` (a callable, so tests can swap it)."""
    return storages["private"]
