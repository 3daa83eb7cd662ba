"""People who use the platform: applicants, employer clerks, office staff, experts, admins."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhicheng.core.crypto import blind_indexes
from zhicheng.core.fields import BlindIndexField, SealedCharField


class IdType(models.TextChoices):
    RESIDENT = "resident", "居民身份证"
    HK_MACAO_RESIDENCE = "hk_macao_residence", "港澳居民居住证"
    TAIWAN_RESIDENCE = "taiwan_residence", "台湾居民居住证"
    FOREIGN_PERMANENT = "foreign_permanent", "外国人永久居留身份证"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, mobile: str, password: str | None = None, **fields: object) -> User:
        user = self.model(mobile=mobile, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, mobile: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("real_name", "平台管理员")
        return self.create_user(mobile, password, **fields)

    def with_id_number(self, number: str) -> models.QuerySet[User]:
        """The user holding ``number`` (ID numbers are sealed: they are found by their blind index)."""
        return self.filter(id_number_index__in=blind_indexes(number))


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with the mobile number or the ID number."""

    real_name = models.CharField("姓名", max_length=50)
    id_type = models.CharField("证件类型", max_length=24, choices=IdType.choices, default=IdType.RESIDENT)
    id_number = SealedCharField("证件号码", max_length=18, null=True, blank=True)
    id_number_index = BlindIndexField("证件号码检索码", source="id_number", unique=True, null=True)
    mobile = models.CharField("手机号码", max_length=11, unique=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_active = models.BooleanField("启用", default=True)
    is_staff = models.BooleanField("可进入管理后台", default=False)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "mobile"
    REQUIRED_FIELDS = ["real_name"]

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.real_name or self.mobile

    def clean(self) -> None:
        super().clean()
        if self.id_number and User.objects.with_id_number(self.id_number).exclude(pk=self.pk).exists():
            raise ValidationError({"id_number": "该证件号码已被其他账号使用。"})

    def get_full_name(self) -> str:
        return self.real_name

    def get_short_name(self) -> str:
        return self.real_name


class ApplicantProfile(models.Model):
    """Basic information of a professional (seed 003 §五.2)."""

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    class PoliticalStatus(models.TextChoices):
        CPC = "cpc", "中共党员"
        CPC_PROBATIONARY = "cpc_probationary", "中共预备党员"
        CYL = "cyl", "共青团员"
        DEMOCRATIC_PARTY = "democratic_party", "民主党派"
        NONE = "masses", "群众"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile", verbose_name="用户")
    gender = models.CharField("性别", max_length=6, choices=Gender.choices, blank=True)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期", null=True, blank=True)
    political_status = models.CharField("政治面貌", max_length=20, choices=PoliticalStatus.choices, blank=True)
    work_start = models.DateField("参加工作时间", null=True, blank=True, help_text="以首次社保缴纳时间为准")
    series = models.ForeignKey(
        "reference.Series", verbose_name="所属专业技术职务系列", null=True, blank=True, on_delete=models.PROTECT
    )
    employer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="现工作单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_profiles",
    )
    employer_address = models.CharField("单位地址", max_length=200, blank=True)
    department = models.CharField("工作部门", max_length=60, blank=True)
    position = models.CharField("工作岗位", max_length=60, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人基本信息"

    def __str__(self) -> str:
        return f"{self.user} 基本信息"

    @property
    def is_complete(self) -> bool:
        required = [self.gender, self.birth_date, self.political_status, self.work_start, self.series_id]
        required += [self.employer_id, self.employer_address, self.department, self.position]
        return all(required)


class SmsCode(models.Model):
    """A one-time code sent by SMS (password reset). Only its hash is stored."""

    class Purpose(models.TextChoices):
        PASSWORD_RESET = "password_reset", "找回密码"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sms_codes")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "-created_at"])]
