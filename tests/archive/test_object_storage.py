"""Evidence in S3-compatible object storage: the storage the production settings build from
``ZHICHENG_STORAGE_*`` (django-storages and boto3), run against moto's S3 in this process.
Files go to the bucket and never to the app server's disk, come back only through the
permission-checked view, and a file removed for good leaves the bucket."""

from __future__ import annotations

import boto3
import pytest
from django.urls import reverse
from moto import mock_aws

from tests.archive.conftest import MINIMAL_PDF, create_record, form_data, pdf_upload
from tests.ops.test_settings import PRODUCTION, read
from zhicheng.archive.models import Evidence, Record

pytestmark = pytest.mark.django_db

BUCKET = "zhicheng-evidence"


@pytest.fixture(scope="module")
def s3_storage() -> dict:
    """``STORAGES["private"]`` exactly as the production settings build it for S3."""
    return read(
        **PRODUCTION,
        ZHICHENG_STORAGE_BACKEND="s3",
        ZHICHENG_STORAGE_BUCKET=BUCKET,
        ZHICHENG_STORAGE_REGION="cn-north-1",
        ZHICHENG_STORAGE_ACCESS_KEY="test-access-key",
        ZHICHENG_STORAGE_SECRET_KEY="test-secret-key",
    )["private"]


@pytest.fixture
def bucket(settings, s3_storage):
    with mock_aws():
        client = boto3.client(
            "s3",
            region_name="cn-north-1",
            aws_access_key_id="test-access-key",
            aws_secret_access_key="test-secret-key",
        )
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
        settings.STORAGES = {**settings.STORAGES, "private": s3_storage}
        yield client


def keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_uploaded_evidence_lives_in_the_bucket_and_comes_back_through_the_view(
    applicant, applicant_client, bucket, tmp_path
):
    response = applicant_client.post(
        reverse("archive:record_add", args=["award"]), {**form_data("award"), "evidence": [pdf_upload("获奖证书.pdf")]}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(record__owner=applicant)

    assert keys(bucket) == [f"private/{evidence.file.name}"]
    stored = bucket.get_object(Bucket=BUCKET, Key=f"private/{evidence.file.name}")
    assert stored["Body"].read() == MINIMAL_PDF
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=f"private/{evidence.file.name}")["Grants"]
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in grants)  # not public
    assert not (tmp_path / "private" / "evidence").exists()  # nothing on the app server's disk

    served = applicant_client.get(reverse("archive:evidence_file", args=[evidence.public_id]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == MINIMAL_PDF
    assert served["Cache-Control"] == "private, no-store"


def test_a_file_removed_for_good_leaves_the_bucket(
    applicant, applicant_client, bucket, django_capture_on_commit_callbacks
):
    record = create_record(applicant, "patent", files=[pdf_upload("a.pdf"), pdf_upload("b.pdf")])
    first = Evidence.objects.filter(record=record).order_by("pk").first()
    assert len(keys(bucket)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        applicant_client.post(reverse("archive:evidence_remove", args=[first.public_id]))

    assert keys(bucket) == [f"private/{Evidence.objects.get(record=record).file.name}"]


def test_an_object_missing_from_the_bucket_is_a_404_not_a_500(applicant, applicant_client, bucket):
    record = create_record(applicant, "patent")
    evidence = Evidence.objects.get(record=record)
    bucket.delete_object(Bucket=BUCKET, Key=f"private/{evidence.file.name}")

    assert applicant_client.get(reverse("archive:evidence_file", args=[evidence.public_id])).status_code == 404
    assert Record.objects.filter(pk=record.pk).exists()
