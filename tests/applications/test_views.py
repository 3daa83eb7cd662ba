"""The six steps through the test client as the demo applicant: messages beside fields, what
was entered kept, submission, the timeline — and nobody else sees the application."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.applications.conftest import complete_draft, jpeg, pdf_file
from zhicheng.applications import services
from zhicheng.applications.models import Application, Attachment
from zhicheng.archive.models import Appointment, TitleHeld
from zhicheng.core.uploads import PDF

pytestmark = pytest.mark.django_db


def step_url(application: Application, slug: str) -> str:
    return reverse("applications:step", args=[application.pk, slug])


def test_whole_wizard_through_the_pages(client, zhang, open_plan):
    client.force_login(zhang)
    page = client.get(reverse("plans:detail", args=[open_plan.pk]))
    assert "在线申报" in page.content.decode()
    response = client.post(reverse("applications:start", args=[open_plan.pk]), {"level": "engineer"})
    application = Application.objects.get(applicant=zhang, plan=open_plan)
    assert response.url == step_url(application, "photo")

    # 1 photo: a too-small file is refused beside the field; a good one moves on
    small = SimpleUploadedFile("p.jpg", jpeg(size=20 * 1024), content_type="image/jpeg")
    response = client.post(step_url(application, "photo"), {"photo": small})
    assert response.status_code == 400
    assert (
        'data-field-error="photo"' in response.content.decode() and "照片文件须大于 30 KB" in response.content.decode()
    )
    good = SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")
    assert client.post(step_url(application, "photo"), {"photo": good}).url == step_url(application, "pledge")
    photo = client.get(reverse("applications:photo", args=[application.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"

    # 2 pledge
    response = client.post(step_url(application, "pledge"), {})
    assert response.status_code == 400 and "请勾选" in response.content.decode()
    assert client.post(step_url(application, "pledge"), {"agree": "on"}).url == step_url(application, "info")

    # 3 information: a missing title is named, and the entered choices stay
    page = client.get(step_url(application, "info"))
    form = page.context["form"]
    point = form.initial["acceptance_point"]
    assert point == open_plan.acceptance_points.get(name__startswith="瑞安市").pk  # where his insurance is paid
    title = TitleHeld.objects.get(owner=zhang)
    appointment = Appointment.objects.get(owner=zhang)
    data = {
        "level": str(open_plan.levels.get(code="engineer").pk),
        "application_type": "normal",
        "subspecialty": str(open_plan.subspecialties.first().pk) if open_plan.subspecialties.exists() else "",
        "qualification_type": "title",
        "has_appointment": "1",
        "acceptance_point": str(point),
    }
    response = client.post(step_url(application, "info"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field-error="titles"' in html and "请选择档案中的现有职称" in html
    assert 'data-field-error="appointments"' in html
    assert 'value="normal" selected' in html  # what was entered is kept
    data |= {"titles": [str(title.pk)], "appointments": [str(appointment.pk)]}
    assert client.post(step_url(application, "info"), data).url == step_url(application, "records")

    # 4 records: everything approved is offered and preselected
    page = client.get(step_url(application, "records"))
    offered = {pk for group in page.context["groups"] for pk in (r.pk for r in group.records)}
    assert page.context["selected"] == offered
    response = client.post(step_url(application, "records"), {"records": [str(pk) for pk in offered]})
    assert response.url == step_url(application, "attachments")

    # 5 attachments: a fake PDF is refused by content; a real one is stored under a random name
    fake = SimpleUploadedFile("完税证明.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(
        step_url(application, "attachments"), {"action": "attachment", "att-kind": "tax_certificate", "att-file": fake}
    )
    assert response.status_code == 400 and "不是有效的" in response.content.decode()
    response = client.post(
        step_url(application, "attachments"),
        {"action": "attachment", "att-kind": "tax_certificate", "att-file": pdf_file("完税证明.pdf")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=application)
    assert attachment.original_name == "完税证明.pdf" and "完税证明" not in attachment.file.name
    response = client.post(
        step_url(application, "attachments"),
        {
            "action": "recommendation",
            "rec-expert_name": "王专家",
            "rec-expert_id_number": "123",
            "rec-title_level": "senior_engineer",
        },
    )
    assert response.status_code == 400
    assert 'data-field-error="rec-expert_id_number"' in response.content.decode()
    assert 'value="王专家"' in response.content.decode()

    # 6 preview and submit (twice: one submission)
    page = client.get(step_url(application, "preview"))
    assert page.context["problems"] == [] and page.context["verdict"].eligible
    assert "符合申报条件" in page.content.decode()
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.url == reverse("applications:detail", args=[application.pk])
    client.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "submitted" and application.status_changes.count() == 1
    detail = client.get(response.url).content.decode()
    assert application.number in detail and "单位公示" in detail and 'data-testid="timeline"' in detail
    # a submitted application can no longer be edited
    assert client.get(step_url(application, "info")).url == reverse("applications:detail", args=[application.pk])


def test_preview_lists_every_problem_and_disables_submit(client, huang, open_plan):
    client.force_login(huang)
    client.post(reverse("applications:start", args=[open_plan.pk]), {"level": "engineer"})
    application = Application.objects.get(applicant=huang)
    page = client.get(step_url(application, "preview"))
    html = page.content.decode()
    assert "尚未上传照片" in html and "尚未签署真实性保证书" in html and "尚未填写申报信息" in html
    assert "disabled" in html.split('data-testid="submit-form"')[1]
    response = client.post(reverse("applications:submit", args=[application.pk]), follow=True)
    assert "尚未上传照片" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_dashboard_shows_status_next_step_and_verdict(client, zhang, open_plan):
    complete_draft(zhang, open_plan)
    client.force_login(zhang)
    html = client.get(reverse("portal:dashboard")).content.decode()
    section = html.split('data-testid="my-applications"')[1]
    assert "草稿" in section and "个人申报" in section and "23:59:59 截止" in section and "个工作日" in section
    assert "符合申报条件" in section


@pytest.mark.parametrize("who", ["other_applicant", "employer_admin", "stranger_admin"])
def test_others_get_404(client, zhang, huang, open_plan, who):
    application = complete_draft(zhang, open_plan)
    attachment = services.attachment_add(
        actor=zhang, application=application, kind="other", upload=pdf_file(), file_kind=PDF
    )
    viewer = {
        "other_applicant": huang,
        "employer_admin": factories.employer_admin_of(zhang.profile.employer),
        "stranger_admin": factories.employer_admin_of(factories.EmployerFactory()),
    }[who]
    client.force_login(viewer)
    urls = [
        reverse("applications:detail", args=[application.pk]),
        step_url(application, "photo"),
        reverse("applications:photo", args=[application.pk]),
        reverse("applications:attachment", args=[application.pk, attachment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("applications:submit", args=[application.pk]),
        reverse("applications:refresh", args=[application.pk]),
        reverse("applications:attachment_delete", args=[application.pk, attachment.pk]),
    ):
        assert client.post(url).status_code == 404, url
    assert Application.objects.get(pk=application.pk).status == "draft"
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_anonymous_is_sent_to_login(client, zhang, open_plan):
    application = complete_draft(zhang, open_plan)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_application_list_queries_do_not_grow(client, zhang, open_plan, django_assert_max_num_queries):
    from tests.applications.test_submission import second_plan_same_year

    complete_draft(zhang, open_plan)
    client.force_login(zhang)
    with django_assert_max_num_queries(12):
        client.get(reverse("applications:list"))
    for n in range(4):
        complete_draft(zhang, second_plan_same_year(open_plan, f"MORE-{n}"))
    with django_assert_max_num_queries(12):
        assert len(client.get(reverse("applications:list")).context["rows"]) == 5
