"""Where private files (evidence, authorisation letters) are stored: never under a public URL.

``FileField(storage=callable)`` calls the callable once, when the model class is built, so a
later change of ``settings.STORAGES`` (a test's temporary folder, a switch to object storage)
would be ignored. ``private_files`` resolves ``storages["private"]`` on every call instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any

from django.core.files.storage import Storage, storages
from django.db import transaction
from django.utils.deconstruct import deconstructible


def private_storage() -> Storage:
    """The ``private`` storage of ``settings.STORAGES``, as configured right now."""
    return storages["private"]


@deconstructible(path="zhicheng.core.storage.PrivateStorageProxy")
class PrivateStorageProxy(Storage):
    def _target(self) -> Storage:
        return private_storage()

    def open(self, name: str, mode: str = "rb") -> Any:
        return self._target().open(name, mode)

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        return self._target().save(name, content, max_length=max_length)

    def generate_filename(self, filename: str) -> str:
        return self._target().generate_filename(filename)

    def get_valid_name(self, name: str) -> str:
        return self._target().get_valid_name(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self._target().get_available_name(name, max_length=max_length)

    def delete(self, name: str) -> None:
        self._target().delete(name)

    def exists(self, name: str) -> bool:
        return self._target().exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self._target().listdir(path)

    def size(self, name: str) -> int:
        return self._target().size(name)

    def url(self, name: str | None) -> str:
        return self._target().url(name)

    def path(self, name: str) -> str:
        return self._target().path(name)

    def get_accessed_time(self, name: str) -> datetime:
        return self._target().get_accessed_time(name)

    def get_created_time(self, name: str) -> datetime:
        return self._target().get_created_time(name)

    def get_modified_time(self, name: str) -> datetime:
        return self._target().get_modified_time(name)


private_files = PrivateStorageProxy()


class FilesGuard:
    """Deletes private files stored inside a block that then failed (no orphans on rollback).

    with FilesGuard() as stored, transaction.atomic():
        stored.append(field.name)  # after each save to private storage
    """

    def __init__(self) -> None:
        self.stored: list[str] = []

    def __enter__(self) -> list[str]:
        return self.stored

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            for name in self.stored:
                private_files.delete(name)


def delete_files_on_commit(names: Sequence[str]) -> None:
    """Delete private files once the current transaction commits (kept if it rolls back)."""

    def delete() -> None:
        for name in names:
            private_files.delete(name)

    transaction.on_commit(delete)


def sha256_of(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
