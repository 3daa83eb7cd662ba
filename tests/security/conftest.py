"""Security tests share one media folder per session: the module-scoped world writes its
files (evidence, letters) before any function fixture runs, so the per-test folder of the
root conftest would not hold them."""

from __future__ import annotations

import pytest

from tests.security import world as world_module


def storage_overrides(root) -> dict:
    from django.conf import settings

    return {
        "MEDIA_ROOT": root / "media",
        "STORAGES": {
            **settings.STORAGES,
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root / "private", "base_url": None},
            },
        },
        "SMS_FILE_PATH": root / "sms",
    }


@pytest.fixture(scope="session")
def security_media(tmp_path_factory):
    return tmp_path_factory.mktemp("security-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, security_media):
    for key, value in storage_overrides(security_media).items():
        setattr(settings, key, value)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, security_media):
    from django.test import override_settings

    from tests.security.conftest import storage_overrides

    scope = world_module.WorldScope(django_db_blocker)
    with override_settings(**storage_overrides(security_media)):
        built = scope.open()
    from zhicheng.archive import registry

    built.objects["type_code"] = registry.get_type(built.objects["record"].record_type).code
    attachment = built.objects["application"].attachments.first()
    built.objects["attachment_pk"] = attachment.pk if attachment else world_module.MISSING
    message = built.objects["message"]
    built.objects["message_pk"] = message.pk if message else world_module.MISSING
    yield built
    scope.close()
