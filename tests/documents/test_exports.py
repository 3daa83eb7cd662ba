"""The roster (花名册) and the batch of review forms as export jobs: scope, masked and full ID
numbers, permissions, progress, failures, the job page polled with htmx, and the runners."""

from __future__ import annotations

import io
import threading
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.documents.conftest import approve_stages
from zhicheng.applications.models import Application
from zhicheng.core.crypto import seal
from zhicheng.core.models import AuditEntry
from zhicheng.documents import jobs, runners, services
from zhicheng.documents.models import ExportJob
from zhicheng.documents.roster import COLUMNS
from zhicheng.lib.idnumbers import make_resident_id, mask_id_number

pytestmark = pytest.mark.django_db

ZHANG_ID = "330381198805123516"


def clone(application: Application, name: str, **fields) -> Application:
    """Another applicant's submitted application of the same plan, its snapshot copied."""
    other = factories.ApplicantFactory(real_name=name)
    snapshot = {**application.snapshot, "person": {**application.snapshot["person"], "name": name}}
    snapshot["person"]["id_number_sealed"] = seal(other.id_number)
    copy = Application.objects.create(
        applicant=other,
        plan=application.plan,
        level=application.level,
        application_type="normal",
        status=application.status,
        number=f"{application.plan.number}-9{other.pk:05d}",
        snapshot=snapshot,
        district=application.district,
        submitted_at=application.submitted_at,
        first_submitted_at=application.first_submitted_at,
        engine_eligible=True,
        **fields,
    )
    return copy


@pytest.fixture
def at_county(submitted) -> list[Application]:
    """Three applications that passed the employer and wait at 瑞安's county HR (stage 2)."""
    first = approve_stages(submitted, upto=1)
    others = [clone(first, name) for name in ("李明", "王芳")]
    Application.objects.filter(pk__in=[o.pk for o in others]).update(
        stage_order=2, current_office=first.current_office, needs_claim_review=True
    )
    return [first, *others]


def rows_of(job: ExportJob) -> tuple[list[str], list[list]]:
    with job.result.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).active
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(values) if row[0] == "序号")
    return values[header_at], values[header_at + 1 :]


def export(actor, plan, **kwargs) -> ExportJob:
    return services.export_job_start(actor=actor, kind=ExportJob.Kind.ROSTER, plan=plan, **kwargs)


def test_roster_has_one_row_per_application_with_masked_ids(county_reviewer, open_plan, at_county):
    job = export(county_reviewer, open_plan)
    assert job.status == ExportJob.Status.DONE, job.error
    assert (job.progress, job.total) == (3, 3)
    header, rows = rows_of(job)
    assert header == [name for name, _width in COLUMNS]
    assert len(rows) == 3
    ids = {row[2]: row[4] for row in rows}
    assert ids["张伟"] == mask_id_number(ZHANG_ID) == "330381********3516"
    assert all("*" in value for value in ids.values())
    zhang = next(row for row in rows if row[2] == "张伟")
    assert zhang[3] == "男" and zhang[5] == "瑞安市华东机械有限公司" and zhang[7] == "工程师"
    assert zhang[8] == "正常申报" and "助理工程师" in zhang[9] and "大学本科" in zhang[10]
    assert zhang[11] == "资格审查中" and zhang[12] == "符合申报条件"
    other = next(row for row in rows if row[2] == "李明")
    assert "须核实声明条件" in other[13]
    assert job.result_name.endswith("评审对象资格审查花名册.xlsx")


def test_roster_queries_do_not_grow_with_its_rows(county_reviewer, open_plan, at_county):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export(county_reviewer, open_plan)
        return len(captured)

    queries()  # warms the permission caches kept on the user and the plan
    few = queries()
    for name in ("赵六", "钱七", "孙八"):
        clone(at_county[0], name, stage_order=2, current_office=at_county[0].current_office)
    assert queries() == few


def test_an_exporter_may_ask_for_full_ids_and_it_is_logged(county_reviewer, open_plan, at_county):
    job = export(county_reviewer, open_plan, full_ids=True)
    _header, rows = rows_of(job)
    assert ZHANG_ID in [row[4] for row in rows]
    requested = AuditEntry.objects.get(action="documents.export_requested")
    assert requested.actor == county_reviewer and requested.data["full_ids"] is True
    done = AuditEntry.objects.get(action="documents.export_done")
    assert done.data["rows"] == 3 and done.data["full_ids"] is True


def test_an_office_sees_only_applications_routed_to_it(county_reviewer, city_officer, open_plan, submitted):
    assert export(county_reviewer, open_plan).total == 0  # still at the employer
    assert export(city_officer, open_plan).total == 0
    approve_stages(submitted)
    assert export(county_reviewer, open_plan).total == 1  # it approved at stage 2
    assert export(city_officer, open_plan).total == 1  # it approved at stage 4


def test_a_stage_narrows_the_roster(city_officer, platform_admin, open_plan, at_county):
    assert export(platform_admin, open_plan, stage=2).total == 3
    assert export(platform_admin, open_plan, stage=1).total == 1  # only 张伟 has an approval at stage 1
    assert export(platform_admin, open_plan, stage=3).total == 0


def test_staff_see_all_but_only_masked(platform_admin, open_plan, at_county):
    assert export(platform_admin, open_plan).total == 3
    with pytest.raises(PermissionDenied):
        export(platform_admin, open_plan, full_ids=True)


def test_an_office_outside_the_plan_cannot_export(client, outsider, employer_admin, open_plan, at_county):
    for user in (outsider, employer_admin):  # the employer reviews but holds no roster.export
        with pytest.raises(PermissionDenied):
            export(user, open_plan)
        client.force_login(user)
        assert client.get(reverse("documents:plan_export", args=[open_plan.pk])).status_code == 404
        response = client.post(reverse("documents:plan_export", args=[open_plan.pk]), {"kind": "roster"})
        assert response.status_code == 404
    assert not ExportJob.objects.exists()


def test_export_through_the_pages(client, county_reviewer, open_plan, at_county):
    client.force_login(county_reviewer)
    page = client.get(reverse("documents:plan_export", args=[open_plan.pk])).content.decode()
    assert "您可导出的申报 3 份" in page and 'name="full_ids"' in page and "<script>" not in page
    response = client.post(reverse("documents:plan_export", args=[open_plan.pk]), {"kind": "roster", "stage": "2"})
    job = ExportJob.objects.get()
    assert response.url == reverse("documents:job", args=[job.public_id])
    assert job.parameters == {"plan": open_plan.pk, "stage": 2, "full_ids": False}
    page = client.get(response.url).content.decode()
    assert 'data-status="done"' in page and "hx-trigger" not in page  # finished: polling stops
    assert reverse("documents:job_download", args=[job.public_id]) in page
    status = client.get(reverse("documents:job_status", args=[job.public_id]))
    assert status.status_code == 200 and "100%" in status.content.decode()
    download = client.get(reverse("documents:job_download", args=[job.public_id]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert "attachment" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 3 + 3  # title, plan line, header, one row per application
    assert AuditEntry.objects.filter(action="documents.export_roster_downloaded", actor=county_reviewer).exists()


def test_staff_page_has_no_full_id_choice(client, platform_admin, open_plan, at_county):
    client.force_login(platform_admin)
    page = client.get(reverse("documents:plan_export", args=[open_plan.pk])).content.decode()
    assert 'name="full_ids"' not in page


def test_a_queued_job_page_polls_with_htmx(client, county_reviewer, open_plan, settings):
    settings.ZHICHENG_JOB_RUNNER = "thread"  # queued until the (never committed) transaction ends
    job = export(county_reviewer, open_plan)
    assert job.status == ExportJob.Status.QUEUED
    client.force_login(county_reviewer)
    html = client.get(reverse("documents:job", args=[job.public_id])).content.decode()
    status_url = reverse("documents:job_status", args=[job.public_id])
    assert f'hx-get="{status_url}"' in html and 'hx-trigger="every 1s"' in html
    assert "<script>" not in html


def test_only_the_creator_sees_a_job(client, county_reviewer, city_officer, open_plan, at_county):
    job = export(county_reviewer, open_plan)
    client.force_login(city_officer)
    for name in ("documents:job", "documents:job_status", "documents:job_download"):
        assert client.get(reverse(name, args=[job.public_id])).status_code == 404


def test_a_revoked_exporter_loses_the_download(client, county_reviewer, open_plan, at_county):
    job = export(county_reviewer, open_plan)
    county_reviewer.memberships.update(is_active=False)
    client.force_login(county_reviewer)
    assert client.get(reverse("documents:job_download", args=[job.public_id])).status_code == 404


def test_a_failing_job_records_its_error(client, county_reviewer, open_plan, at_county, monkeypatch):
    def broken(job, report):
        report.total(7)
        report(2)
        raise RuntimeError("磁盘已满")

    monkeypatch.setitem(jobs.EXPORTERS, ExportJob.Kind.ROSTER, broken)
    job = export(county_reviewer, open_plan)
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "RuntimeError: 磁盘已满"
    assert (job.progress, job.total) == (2, 7) and not job.result and job.finished_at
    client.force_login(county_reviewer)
    page = client.get(reverse("documents:job", args=[job.public_id])).content.decode()
    assert "导出失败：RuntimeError: 磁盘已满" in page and "hx-trigger" not in page
    assert client.get(reverse("documents:job_download", args=[job.public_id])).status_code == 404


def test_a_job_runs_once(county_reviewer, open_plan, at_county):
    job = export(county_reviewer, open_plan)
    finished = job.finished_at
    jobs.run_job(job.pk)  # a second worker picking the same job does nothing
    job.refresh_from_db()
    assert job.finished_at == finished and AuditEntry.objects.filter(action="documents.export_done").count() == 1


def test_review_forms_come_as_a_zip(county_reviewer, open_plan, at_county):
    job = services.export_job_start(actor=county_reviewer, kind=ExportJob.Kind.REVIEW_FORMS, plan=open_plan)
    assert job.status == ExportJob.Status.DONE, job.error
    assert (job.progress, job.total) == (3, 3)
    with job.result.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
        assert len(names) == 3 and all(name.endswith("-评审表.pdf") for name in names)
        assert any("张伟" in name for name in names)
        assert archive.read(names[0]).startswith(b"%PDF")


def test_the_thread_runner_starts_after_commit(
    county_reviewer, open_plan, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ZHICHENG_JOB_RUNNER = "thread"
    ran = {}
    done = threading.Event()

    def record(job_id):
        ran[job_id] = threading.current_thread().name
        done.set()

    monkeypatch.setattr(jobs, "run_job", record)
    monkeypatch.setattr(runners.connections, "close_all", lambda: None)  # the test's connection stays
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = export(county_reviewer, open_plan)
    assert not ran and len(callbacks) == 1  # nothing runs before the job row is committed
    callbacks[0]()
    assert done.wait(5)
    assert ran == {job.pk: f"export-job-{job.pk}"}


def test_an_unknown_runner_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.ZHICHENG_JOB_RUNNER = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured):
        runners.dispatch(1)


def test_mask_keeps_area_and_last_four():
    number = make_resident_id(area="330302")
    assert mask_id_number(number) == number[:6] + "*" * 8 + number[-4:]
