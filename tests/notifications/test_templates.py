from __future__ import annotations

import pytest

from zhicheng.notifications import message_templates as mt


def test_every_registered_template_has_a_file():
    assert {"employer_approved", "employer_rejected", "password_reset_code", "account_locked"} <= set(
        mt.registered_codes()
    )
    assert mt.check_files() == []


@pytest.mark.parametrize(
    ("code", "context"),
    [
        ("employer_approved", {"organisation": "甲公司"}),
        ("employer_rejected", {"organisation": "甲公司", "reason": "材料不全"}),
        ("password_reset_code", {"code": "123456", "minutes": 10}),
        ("account_locked", {"minutes": 15}),
    ],
)
def test_each_template_renders_a_subject_and_a_short_signed_sms(code, context):
    inbox = mt.render(code, context)
    sms = mt.render(code, context, channel="sms")

    assert inbox.subject and "\n" not in inbox.subject
    assert inbox.body and "{" not in inbox.body
    assert sms.body.startswith("【职称平台】")
    assert len(sms.body) <= 70, sms.body  # one SMS segment


def test_unknown_code_raises():
    with pytest.raises(mt.UnknownTemplate):
        mt.render("nope", {})
    with pytest.raises(LookupError):
        mt.get_template("nope")


def test_missing_context_raises():
    with pytest.raises(mt.MissingContext, match="reason"):
        mt.render("employer_rejected", {"organisation": "甲公司"})


def test_plain_text_is_not_html_escaped():
    rendered = mt.render("employer_approved", {"organisation": "A&B <研究院>"})
    assert "A&B <研究院>" in rendered.body


def test_rejection_reason_is_in_the_inbox_body_and_the_short_sms():
    context = {"organisation": "甲公司", "reason": "营业执照扫描件不清晰"}
    assert "营业执照扫描件不清晰" in mt.render("employer_rejected", context).body
    sms = mt.render("employer_rejected", context, channel="sms").body
    assert "营业执照扫描件不清晰" in sms and len(sms) <= 70


def test_redaction_masks_secret_values():
    rendered = mt.render("password_reset_code", {"code": "987654", "minutes": 10}, redact=True)
    assert "987654" not in rendered.body and mt.REDACTED in rendered.body


def test_registering_a_code_twice_differently_raises():
    with pytest.raises(ValueError, match="twice"):
        mt.register(mt.MessageTemplate("account_locked", "其他", ()))
