"""ID numbers are encrypted at rest with ZHICHENG_DATA_KEY and found again by a keyed hash.

Each test reads what the database itself holds (raw SQL), since the model always shows the
opened value."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.applications.conftest import add_recommendation, complete_draft
from tests.applications.test_workflow import submitted
from zhicheng.accounts.backends import find_user_by_login
from zhicheng.accounts.forms import RegistrationForm
from zhicheng.accounts.models import User
from zhicheng.applications import services
from zhicheng.applications.snapshot import person_id_number
from zhicheng.core.crypto import SealError, blind_index, seal, unseal
from zhicheng.core.seal_migration import seal_column
from zhicheng.settings import DEVELOPMENT_DATA_KEY

pytestmark = pytest.mark.django_db
ZHANG_ID = "330381198805123516"
EXPERT = "330302197001011236"


def raw(table: str, column: str, pk: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_database_holds_no_plain_id_number(zhang):
    stored = raw("accounts_user", "id_number", zhang.pk)
    assert ZHANG_ID not in stored and unseal(stored) == ZHANG_ID
    assert User.objects.get(pk=zhang.pk).id_number == ZHANG_ID
    index = raw("accounts_user", "id_number_index", zhang.pk)
    assert index == blind_index(ZHANG_ID) and ZHANG_ID not in index


def test_the_same_number_seals_differently_each_time():
    assert seal(ZHANG_ID) != seal(ZHANG_ID)


def test_login_and_search_by_id_number_go_through_the_index(zhang):
    assert find_user_by_login(ZHANG_ID) == zhang
    assert find_user_by_login(ZHANG_ID.lower()) == zhang
    assert User.objects.with_id_number(ZHANG_ID).get() == zhang
    with pytest.raises(FieldError):
        User.objects.filter(id_number=ZHANG_ID).exists()  # a forgotten plain lookup fails loudly


def test_registration_refuses_an_id_number_already_used(zhang):
    form = RegistrationForm(data={"real_name": "冒名者", "id_number": ZHANG_ID.lower(), "mobile": "13700000001"})
    assert not form.is_valid()
    assert form.errors["id_number"] == ["该证件号码已注册，请直接登录或找回密码。"]


def test_changing_the_number_moves_the_index(zhang):
    zhang.id_number = "11010519491231002X"
    zhang.save()
    assert find_user_by_login("11010519491231002x") == zhang
    assert find_user_by_login(ZHANG_ID) is None


def test_the_submitted_snapshot_holds_the_number_sealed(zhang, open_plan):
    application = submitted(zhang, open_plan)
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot FROM applications_application WHERE id = %s", [application.pk])
        stored = cursor.fetchone()[0]
    assert ZHANG_ID not in str(stored)
    assert person_id_number(application.snapshot["person"]) == ZHANG_ID


def test_expert_recommendations_are_sealed_and_still_capped(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    recommendation = add_recommendation(zhang, application, EXPERT)
    stored = raw("applications_expertrecommendation", "expert_id_number", recommendation.pk)
    assert EXPERT not in stored
    assert raw("applications_expertrecommendation", "expert_id_index", recommendation.pk) == blind_index(EXPERT)


def test_without_the_key_nothing_opens(zhang):
    with override_settings(ZHICHENG_DATA_KEY="another-key"), pytest.raises(SealError):
        User.objects.get(pk=zhang.pk).id_number  # noqa: B018


def test_rotation_keeps_old_values_readable_then_reseals_them(zhang, open_plan):
    application = submitted(zhang, open_plan)
    old = raw("accounts_user", "id_number", zhang.pk)
    with override_settings(ZHICHENG_DATA_KEY="the-new-key", ZHICHENG_OLD_DATA_KEYS=[DEVELOPMENT_DATA_KEY]):
        assert User.objects.get(pk=zhang.pk).id_number == ZHANG_ID  # the old key still opens it
        call_command("reseal_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
        assert raw("accounts_user", "id_number", zhang.pk) != old
        assert find_user_by_login(ZHANG_ID) == zhang  # the index follows the new key
    with override_settings(ZHICHENG_DATA_KEY="the-new-key"):  # the old key gone
        assert User.objects.get(pk=zhang.pk).id_number == ZHANG_ID
        from zhicheng.applications.models import Application

        assert person_id_number(Application.objects.get(pk=application.pk).snapshot["person"]) == ZHANG_ID


def test_the_migration_step_seals_plain_values_and_reverses(zhang):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET id_number = %s, id_number_index = NULL WHERE id = %s", [ZHANG_ID, zhang.pk]
        )
    step = seal_column("accounts", "User", "id_number", "id_number_index")
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)  # what the step uses
    step.code(apps, editor)
    assert unseal(raw("accounts_user", "id_number", zhang.pk)) == ZHANG_ID
    assert find_user_by_login(ZHANG_ID) == zhang
    step.reverse_code(apps, editor)
    assert raw("accounts_user", "id_number", zhang.pk) == ZHANG_ID


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_seal_round_trips_and_the_index_ignores_case(value):
    assert unseal(seal(value)) == value
    assert blind_index(value) == blind_index(value.upper())


def test_no_expert_id_number_reaches_the_snapshot(zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    add_recommendation(zhang, application, EXPERT)
    submitted_application = services.application_submit(actor=zhang, application=application)
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot FROM applications_application WHERE id = %s", [submitted_application.pk])
        stored = str(cursor.fetchone()[0])
    assert EXPERT not in stored and ZHANG_ID not in stored


def test_during_a_rotation_numbers_are_still_found_and_still_taken(zhang):
    with override_settings(ZHICHENG_DATA_KEY="the-new-key", ZHICHENG_OLD_DATA_KEYS=[DEVELOPMENT_DATA_KEY]):
        assert find_user_by_login(ZHANG_ID) == zhang  # stored under the old key, not yet re-sealed
        form = RegistrationForm(data={"real_name": "冒名者", "id_number": ZHANG_ID, "mobile": "13700000001"})
        assert not form.is_valid() and "id_number" in form.errors


def test_the_migration_step_reverses_where_the_index_cannot_be_empty(zhang, open_plan):
    recommendation = add_recommendation(zhang, complete_draft(zhang, open_plan), EXPERT)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applications_expertrecommendation SET expert_id_number = %s WHERE id = %s",
            [EXPERT, recommendation.pk],
        )
    step = seal_column("applications", "ExpertRecommendation", "expert_id_number", "expert_id_index")
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    step.code(apps, editor)
    step.reverse_code(apps, editor)
    assert raw("applications_expertrecommendation", "expert_id_number", recommendation.pk) == EXPERT
