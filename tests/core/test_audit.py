"""The audit log is append-only and hash-chained; the verifier names the first broken entry."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from zhicheng.core.audit import GENESIS_HASH, entries_for, log_action, verify_chain
from zhicheng.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _three_entries():
    user = factories.UserFactory()
    return [log_action(actor=user, action=f"test.step{i}", obj=user, data={"i": i, "名称": "甲"}) for i in range(3)]


def test_entries_chain_from_genesis():
    before = AuditEntry.objects.count()  # the reference data loader logs too
    first, second, third = _three_entries()
    previous = AuditEntry.objects.filter(pk__lt=first.pk).order_by("-pk").first()
    assert first.prev_hash == (previous.entry_hash if previous else GENESIS_HASH)
    assert AuditEntry.objects.order_by("pk").first().prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    report = verify_chain()
    assert report.ok and report.checked == before + 3


def test_verifier_names_row_edited_in_database():
    _first, second, _third = _three_entries()
    AuditEntry.objects.filter(pk=second.pk).update(data={"i": 99})
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == second.pk
    assert "修改" in report.reason


def test_verifier_detects_deleted_middle_row():
    _first, second, third = _three_entries()
    AuditEntry.objects.filter(pk=second.pk).delete()
    report = verify_chain()
    assert report.first_broken_id == third.pk


def test_verifier_detects_deleted_last_row():
    *_, third = _three_entries()
    AuditEntry.objects.filter(pk=third.pk).delete()
    assert not verify_chain().ok


def test_command_succeeds_then_fails_naming_the_entry(capsys):
    _first, second, _third = _three_entries()
    call_command("verify_audit_chain")
    assert f"{AuditEntry.objects.count()} 条" in capsys.readouterr().out
    AuditEntry.objects.filter(pk=second.pk).update(action="test.forged")
    with pytest.raises(CommandError, match=f"第 {second.pk} 号记录"):
        call_command("verify_audit_chain")


def test_entries_for_object_lists_only_that_object():
    user, other = factories.UserFactory(), factories.UserFactory()
    log_action(actor=user, action="a.one", obj=user)
    log_action(actor=user, action="a.two", obj=other)
    assert [e.action for e in entries_for(user)] == ["a.one"]


def test_system_actor_is_labelled():
    entry = log_action(actor=None, action="system.tick")
    assert entry.actor_label == "系统" and entry.object_type == ""
