from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhicheng.notifications import services
from zhicheng.notifications.context_processors import unread
from zhicheng.notifications.models import Channel, Message, Status
from zhicheng.notifications.views import INBOX_PAGE_SIZE

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
DELIVERIES = reverse("notifications:delivery_log")


def inbox_message(user, subject="测试消息", related_url="", **fields) -> Message:
    return Message.objects.create(
        recipient=user,
        channel=Channel.INBOX,
        template="account_locked",
        subject=subject,
        body=f"{subject}的内容",
        status=Status.SENT,
        related_url=related_url,
        **fields,
    )


def mark_read_url(message: Message) -> str:
    return reverse("notifications:mark_read", args=[message.pk])


def test_anonymous_is_sent_to_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))

    message = Message.objects.create(channel=Channel.INBOX, template="x", subject="s", body="b")
    response = client.post(mark_read_url(message))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_inbox_shows_own_messages_newest_first_with_unread_highlighted(client, alice, bob):
    inbox_message(alice, "较早的消息")
    inbox_message(alice, "最新的消息")
    inbox_message(bob, "别人的消息")
    client.force_login(alice)

    response = client.get(INBOX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "别人的消息" not in html
    assert html.index("最新的消息") < html.index("较早的消息")
    assert html.count('data-unread="true"') == 2
    assert "list-group-item-warning" in html
    assert response.context["unread_count"] == 2


def test_inbox_is_paginated_by_twenty(client, alice):
    for i in range(INBOX_PAGE_SIZE + 5):
        inbox_message(alice, f"消息{i:02d}")
    client.force_login(alice)

    first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert len(first.context["page_obj"].object_list) == INBOX_PAGE_SIZE
    assert len(second.context["page_obj"].object_list) == 5
    assert "消息24" in first.content.decode() and "消息00" in second.content.decode()


def test_inbox_query_count_does_not_grow_with_messages(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    inbox_message(alice)
    with CaptureQueriesContext(connection) as one:
        client.get(INBOX)
    for _ in range(30):
        inbox_message(alice)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(INBOX)
    with django_assert_max_num_queries(8):
        client.get(INBOX)
    assert response.status_code == 200


def test_mark_read_own_message(client, alice):
    message = inbox_message(alice)
    client.force_login(alice)

    response = client.post(mark_read_url(message))

    assert response.status_code == 302 and response.url == INBOX
    message.refresh_from_db()
    assert message.read_at is not None
    assert client.get(INBOX).context["unread_count"] == 0


def test_marking_someone_elses_message_is_404(client, alice, bob):
    message = inbox_message(alice)
    client.force_login(bob)

    assert client.post(mark_read_url(message)).status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_an_sms_is_not_in_the_inbox_and_cannot_be_marked(client, alice):
    (sms,) = services.notify(recipient=alice, template="account_locked", context={"minutes": 1}, channels=["sms"])
    client.force_login(alice)

    assert client.post(mark_read_url(sms)).status_code == 404
    assert sms.subject not in client.get(INBOX).content.decode()


def test_mark_read_needs_post(client, alice):
    message = inbox_message(alice)
    client.force_login(alice)
    assert client.get(mark_read_url(message)).status_code == 405


def test_mark_read_follows_a_local_link_but_not_an_outside_one(client, alice):
    local = inbox_message(alice, related_url="/orgs/employers/mine/")
    other = inbox_message(alice)
    client.force_login(alice)

    assert client.post(mark_read_url(local), {"next": "/orgs/employers/mine/"}).url == "/orgs/employers/mine/"
    assert client.post(mark_read_url(other), {"next": "https://evil.example.com/"}).url == INBOX


def test_htmx_mark_read_returns_the_updated_fragment(client, alice):
    message = inbox_message(alice, "片段消息")
    client.force_login(alice)

    response = client.post(mark_read_url(message), headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<li") and "<html" not in html
    assert 'data-unread="false"' in html and "片段消息" in html


def test_mark_all_read_touches_only_own_messages(client, alice, bob):
    inbox_message(alice)
    inbox_message(alice)
    theirs = inbox_message(bob)
    client.force_login(alice)

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert "已将 2 条消息标记为已读" in response.content.decode()
    assert not Message.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_only_site_links_are_rendered(client, alice):
    inbox_message(alice, "脚本链接", related_url="javascript:alert(1)")
    inbox_message(alice, "站外链接", related_url="//evil.example.com/x")
    inbox_message(alice, "站内链接", related_url="/orgs/employers/mine/")
    client.force_login(alice)

    html = client.get(INBOX).content.decode()

    assert "javascript:" not in html and "evil.example.com" not in html
    assert 'value="/orgs/employers/mine/"' in html


def test_context_processor_counts_unread(alice):
    inbox_message(alice)
    inbox_message(alice, read_at="2025-01-01T00:00:00+08:00")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread(request) == {"unread_count": 0}
    request.user = alice
    assert unread(request) == {"unread_count": 1}


def test_delivery_log_is_for_staff_only_and_masks_addresses(
    client, alice, make_user, django_capture_on_commit_callbacks
):
    assert client.get(DELIVERIES).status_code == 302
    client.force_login(alice)
    assert client.get(DELIVERIES).status_code == 403

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=alice, template="account_locked", context={"minutes": 1}, channels=["sms", "email"])
    alice.email = ""
    services.notify(recipient=alice, template="account_locked", context={"minutes": 1}, channels=["email"])
    client.force_login(make_user(is_staff=True, real_name="管理员"))

    response = client.get(DELIVERIES)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 3
    html = response.content.decode()
    # The log tells deliveries apart without showing whole numbers (personal data, issue 9).
    assert f"{alice.mobile[:3]}****{alice.mobile[-4:]}" in html and alice.mobile not in html
    assert "a***@example.com" in html and "alice@example.com" not in html
    assert html.count("bg-success") == 2 and "无电子邮箱" in html  # SMS and e-mail sent, one failed

    failed = client.get(DELIVERIES, {"status": "failed"})
    assert failed.context["page_obj"].paginator.count == 1
    assert client.get(DELIVERIES, {"channel": "sms"}).context["page_obj"].paginator.count == 1


def test_admin_lists_messages_read_only(client, alice, make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=alice, template="account_locked", context={"minutes": 1})
    admin = make_user(is_staff=True, is_superuser=True, real_name="超级管理员")
    client.force_login(admin)

    changelist = reverse("admin:notifications_message_changelist")
    response = client.get(changelist, {"channel__exact": "sms", "status__exact": "sent"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    html = response.content.decode()
    assert f"{alice.mobile[:3]}****{alice.mobile[-4:]}" in html and alice.mobile not in html
    assert client.get(reverse("admin:notifications_message_add")).status_code == 403
