"""factory_boy factories for the personas of the suite."""

from __future__ import annotations

from datetime import date

import factory
from django.core.files.base import ContentFile

from zhicheng.accounts.models import ApplicantProfile, User
from zhicheng.lib.idnumbers import make_resident_id
from zhicheng.lib.uscc import make_uscc
from zhicheng.orgs.models import Membership, Organisation, Role
from zhicheng.reference.models import Region

PASSWORD = "Zc-test-Pass-2024"

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    mobile = factory.Sequence(lambda n: f"137{n:08d}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class ApplicantFactory(UserFactory):
    id_number = factory.Sequence(
        lambda n: make_resident_id(area="330381", birth=date(1990, 1, 1), seq=f"{(2 * n + 1) % 1000:03d}")  # odd: male
    )
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantProfile

    user = factory.SubFactory(UserFactory)
    birth_date = date(1990, 1, 1)


def _region(code: str) -> Region:
    return Region.objects.get(code=code)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.EMPLOYER
    name = factory.Sequence(lambda n: f"瑞安市测试机械有限公司{n}")
    uscc = factory.Sequence(lambda n: make_uscc(f"91330381MA2T{n:05d}"))
    region = factory.LazyFunction(lambda: _region("330381"))
    nature = Organisation.Nature.PRIVATE
    annual_revenue_wan = 3000
    staff_count = 300
    status = Organisation.Status.APPROVED
    authorisation_letter = factory.LazyFunction(lambda: ContentFile(MINIMAL_PDF, name="letter.pdf"))


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.HR_BUREAU
    name = factory.Sequence(lambda n: f"测试人力资源和社会保障局{n}")
    region = factory.LazyFunction(lambda: _region("330381"))
    admin_level = Organisation.AdminLevel.COUNTY
    status = Organisation.Status.APPROVED


def employer_admin_of(employer: Organisation, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organisation=employer, role=Role.EMPLOYER_ADMIN)
    return user


def member_of(organisation: Organisation, role: str, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user
