"""Personal identifiers encrypted at rest, and found again by a keyed hash.

One secret from the environment (``ZHICHENG_DATA_KEY``) yields two keys by HKDF: one seals
values (Fernet: AES-128-CBC with an HMAC, a fresh IV each time, so equal numbers give
different ciphertexts) and one computes the *blind index* (HMAC-SHA256) stored beside each
sealed value, which is what an exact search compares. Someone with the database but not the
key sees neither the numbers nor a hash they could recompute from a guessed number.

Rotation: put the new secret in ``ZHICHENG_DATA_KEY`` and the old one(s) in
``ZHICHENG_OLD_DATA_KEYS``; values sealed with an old key still open, and
``manage.py reseal_personal_data`` re-seals every value and recomputes every index with the
new key, after which the old keys can go.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


class SealError(ValueError):
    """A stored value does not open with any configured key (wrong key or damaged data)."""


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret.encode())


@cache
def _keys() -> tuple[MultiFernet, list[bytes]]:
    """The sealer (current key first) and the index keys (current first, then the old ones)."""
    secrets = [settings.ZHICHENG_DATA_KEY, *settings.ZHICHENG_OLD_DATA_KEYS]
    sealers = [Fernet(base64.urlsafe_b64encode(_derive(s, b"zhicheng seal v1"))) for s in secrets]
    return MultiFernet(sealers), [_derive(s, b"zhicheng blind index v1") for s in secrets]


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    if setting in ("ZHICHENG_DATA_KEY", "ZHICHENG_OLD_DATA_KEYS"):
        _keys.cache_clear()


def seal(value: str) -> str:
    """``value`` encrypted with the current key (ASCII text, ≈ 100 characters for an ID number)."""
    return _keys()[0].encrypt(value.encode()).decode("ascii")


def unseal(token: str) -> str:
    """The plain text of a value :func:`seal` returned, with the current or an old key."""
    try:
        return _keys()[0].decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise SealError("A sealed value does not open with ZHICHENG_DATA_KEY or ZHICHENG_OLD_DATA_KEYS.") from exc


def _index(key: bytes, value: str) -> str:
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """Keyed SHA-256 of an identifier under the current key, compared case-insensitively (ID
    numbers end in X or x): what is stored."""
    return _index(_keys()[1][0], value)


def blind_indexes(value: str) -> list[str]:
    """The index of ``value`` under the current key and every old one: what a search compares,
    so rows not yet re-sealed after a rotation are still found (and still count as taken)."""
    return [_index(key, value) for key in _keys()[1]]
