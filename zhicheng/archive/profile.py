"""The policy engine's profile (POLICY_API.md) built from a person's archive.

``build_profile`` reads the person's *approved*, not withdrawn records and their basic
information and returns a ``ProfileBuild``:

- ``profile``: the POLICY_API profile, exactly its keys and vocabularies, JSON-ready (dates as
  ``YYYY-MM-DD``, months as ``YYYY-MM``, hours as plain numbers);
- ``sources``: for each profile path the record it came from — ``"education[0]": 12``,
  ``"language": 40``, and for the one aggregate, ``"computer_modules": [41, 42]`` — so the
  self-check can show which records fed each check;
- ``skipped``: approved records that were left out, each with the reason (values the engine
  does not score, marked "extra" in ``choices.py``; failed CE courses; a second assessment of
  the same year — the lower result counts; competition places after the third).

Mapping decisions:
- a book (著作) is a paper of kind ``monograph``; research and engineering projects are both
  ``projects`` (dated by completion, else start);
- ``language`` is the best certificate (CET-6 and the title language exam score alike, CET-4
  less); ``computer_modules`` adds up the modules of every certificate; ``income_over_120k`` is
  the latest income certificate of a year up to the plan year;
- ``employer_kind`` / ``employer_size`` come from the current employer (ApplicantProfile), whose
  nature and size (大中型 / 小微) map to the engine's codes; birth date and gender from the profile;
- ``claims``, ``expert_recommendations`` and ``integrity`` are not archive data: empty here,
  filled by the application (claims, recommendations) and the integrity register.

Queries: one per record type read plus one for the profile — the same for 1 or 1,000 records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any

from zhicheng.accounts.models import ApplicantProfile
from zhicheng.archive import choices, registry
from zhicheng.archive import models as m
from zhicheng.archive.models import Record
from zhicheng.orgs.models import Organisation

EMPLOYER_KIND: dict[str, str] = {
    Organisation.Nature.PUBLIC_INSTITUTION: "public_institution",
    Organisation.Nature.STATE_OWNED: "state_enterprise",
    Organisation.Nature.PRIVATE: "private_enterprise",
    Organisation.Nature.SOCIAL_ORGANISATION: "social_org",
}
EMPLOYER_SIZE: dict[str, str] = {
    Organisation.Size.LARGE_MEDIUM: "large",
    Organisation.Size.SMALL_MICRO: "small",
}
TITLE_LEVELS = ("technician", "assistant_engineer", "engineer", "senior_engineer", "professor_engineer")
# Best first: the Wenzhou standard scores CET-6 and the title language exam alike, CET-4 lower.
LANGUAGE_ORDER = (choices.LanguageKind.CET6, choices.LanguageKind.TITLE_EXAM, choices.LanguageKind.CET4)
CE_CATEGORY_ORDER = (
    choices.CECategory.PROFESSIONAL,
    choices.CECategory.GENERAL_PUBLIC,
    choices.CECategory.INDUSTRY_PUBLIC,
)
ASSESSMENT_ORDER = (  # worst first
    choices.AssessmentResult.FAIL,
    choices.AssessmentResult.PASS,
    choices.AssessmentResult.GOOD,
    choices.AssessmentResult.EXCELLENT,
)
MAX_COMPETITION_PLACE = 3
MAX_COMPUTER_MODULES = 99

# Values of ``choices.py`` marked "extra": real records carry them, the engine does not score them.
EXTRA_VALUES: dict[tuple[str, str, str], str] = {
    ("project", "level", choices.ProjectLevel.NATIONAL): (
        "国家级项目不在评价标准所列项目级别（省级、市级、县级）内，自测不计，由评审专家认定"
    ),
    ("project", "level", choices.ProjectLevel.ENTERPRISE): "单位自立或横向委托项目不在评价标准所列项目级别内，自测不计",
    ("patent", "kind", choices.PatentKind.DESIGN): (
        "外观设计专利不在评价标准所列类别（发明专利、实用新型专利、软件著作权）内，自测不计"
    ),
    ("standard", "kind", choices.StandardKind.GROUP): "团体标准不在评价标准所列标准类别内，自测不计",
    ("honour", "kind", choices.HonourKind.OTHER): (
        "该荣誉不在评价标准所列荣誉（劳动模范、先进工作者、优秀共产党员）内，自测不计"
    ),
    ("honour", "level", choices.HonourLevel.NATIONAL): (
        "国家级荣誉不在评价标准所列级别（市级、县级、系统级）内，自测不计，由评审专家认定"
    ),
    ("honour", "level", choices.HonourLevel.PROVINCIAL): (
        "省级荣誉不在评价标准所列级别（市级、县级、系统级）内，自测不计，由评审专家认定"
    ),
}

TOP_LEVEL_KEYS = (
    "policy",
    "level",
    "application_type",
    "plan_year",
    "as_of",
    "deadline",
    "achievements_until",
    "person",
    "education",
    "titles",
    "skills",
    "work",
    "social_insurance",
    "continuing_education",
    "assessments",
    "language",
    "computer_modules",
    "posts",
    "income_over_120k",
    "awards",
    "projects",
    "papers",
    "patents",
    "standards",
    "new_products",
    "honors",
    "skill_titles",
    "competitions",
    "other_points",
    "expert_recommendations",
    "claims",
    "integrity",
)


@dataclass(frozen=True)
class Skipped:
    """An approved record the profile leaves out, and why."""

    record_id: int
    record_type: str
    summary: str
    reason: str

    @property
    def type_label(self) -> str:
        return registry.get_type(self.record_type).label


@dataclass
class ProfileBuild:
    profile: dict[str, Any]
    sources: dict[str, Any] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)

    def records_for(self, key: str) -> list[int]:
        """Ids of the records behind a top-level key ("continuing_education") or a path."""
        ids: list[int] = []
        for path, source in self.sources.items():
            if path == key or path.startswith(f"{key}["):
                ids.extend(source if isinstance(source, list) else [source])
        return ids


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _month(value: date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _approved(model: type[Record], user: Any, *order: str, related: tuple[str, ...] = ()) -> list[Any]:
    records = model.objects.filter(owner=user, status=Record.Status.APPROVED, withdrawn_at__isnull=True)
    return list(records.select_related(*related).order_by(*order, "pk"))


def _approved_among(records: Iterable[Record], user: Any, *order: str) -> list[Any]:
    """``_approved`` over records already loaded: the same filter and the same order."""
    out = [
        r for r in records if r.owner_id == user.pk and r.status == Record.Status.APPROVED and r.withdrawn_at is None
    ]
    for key in ("pk", *reversed(order)):  # stable sorts: the last one applied decides first
        out.sort(key=attrgetter(key.lstrip("-")), reverse=key.startswith("-"))
    return out


class _Builder:
    def __init__(self) -> None:
        self.sources: dict[str, Any] = {}
        self.skipped: list[Skipped] = []

    def skip(self, record: Record, reason: str) -> None:
        self.skipped.append(Skipped(record.pk, record.record_type, record.summary, reason))

    def drop_extra(self, record: Record, kind: str, attr: str) -> bool:
        """Skip ``record`` if its ``attr`` holds an "extra" value; True when skipped."""
        reason = EXTRA_VALUES.get((kind, attr, getattr(record, attr)))
        if reason:
            self.skip(record, reason)
        return bool(reason)

    def items(
        self, key: str, records: Iterable[Any], entry: Callable[[Any], dict[str, Any] | None]
    ) -> list[dict[str, Any]]:
        """The profile list ``key`` from ``records`` (``entry`` returns None to leave one out)."""
        out: list[dict[str, Any]] = []
        for record in records:
            item = entry(record)
            if item is None:
                continue
            self.sources[f"{key}[{len(out)}]"] = record.pk
            out.append(item)
        return out


def _person(user: Any) -> dict[str, Any]:
    profile = ApplicantProfile.objects.select_related("employer").filter(user=user).first()
    employer = profile.employer if profile else None
    return {
        "birth_date": _iso(profile.birth_date) if profile else None,
        "gender": (profile.gender or None) if profile else None,
        "employer_kind": EMPLOYER_KIND.get(employer.nature) if employer else None,
        "employer_size": EMPLOYER_SIZE.get(employer.size) if employer else None,
    }


def build_profile(
    user: Any,
    *,
    policy: str,
    level: str,
    plan_year: int,
    as_of: date,
    deadline: date,
    achievements_until: date,
    application_type: str | None = None,
    records: Iterable[Record] | None = None,
) -> ProfileBuild:
    """The POLICY_API profile of ``user`` for ``policy`` / ``level`` from approved records:
    the whole archive, or only ``records`` when given (an application's chosen records, loaded
    as their own types by ``archive.selectors.records_as_types``; no query is made for them)."""
    b = _Builder()
    by_model: dict[type[Record], list[Record]] | None = None
    if records is not None:
        by_model = {}
        for record in records:
            by_model.setdefault(type(record), []).append(record)

    def approved(model: type[Record], *order: str, related: tuple[str, ...] = ()) -> list[Any]:
        if by_model is None:
            return _approved(model, user, *order, related=related)
        return _approved_among(by_model.get(model, ()), user, *order)

    def title(r: m.TitleHeld) -> dict[str, Any] | None:
        if r.level.code not in TITLE_LEVELS:
            b.skip(r, f"职称级别“{r.level.name}”不在政策引擎的职称级别内")
            return None
        return {"level": r.level.code, "relevant": r.is_relevant, "obtained": _iso(r.obtained_on)}

    def continuing(r: m.ContinuingEducation) -> dict[str, Any] | None:
        if r.result != choices.CEResult.PASSED:
            b.skip(r, "学习情况为不合格，学时不计")
            return None
        return {"year": r.year, "category": r.category, "hours": _number(r.hours)}

    seen_years: dict[int, int] = {}

    def assessment(r: m.AnnualAssessment) -> dict[str, Any] | None:
        if r.year in seen_years:
            b.skip(r, f"{r.year} 年度有多条考核记录，只计结果较低的一条（记录 {seen_years[r.year]}）")
            return None
        seen_years[r.year] = r.pk
        return {"year": r.year, "result": r.result}

    def project(r: m.ResearchProject | m.EngineeringProject) -> dict[str, Any] | None:
        if b.drop_extra(r, "project", "level"):
            return None
        return {"level": r.level, "rank": r.rank, "date": _iso(r.date)}

    def paper(r: m.Paper | m.Book) -> dict[str, Any]:
        kind = m.Book.POLICY_PAPER_KIND if isinstance(r, m.Book) else r.kind
        return {"kind": kind, "rank": r.rank, "date": _iso(r.published_on)}

    def patent(r: m.Patent) -> dict[str, Any] | None:
        if b.drop_extra(r, "patent", "kind"):
            return None
        return {"kind": r.kind, "rank": r.rank, "date": _iso(r.granted_on)}

    def standard(r: m.Standard) -> dict[str, Any] | None:
        if b.drop_extra(r, "standard", "kind"):
            return None
        return {"kind": r.kind, "rank": r.rank, "date": _iso(r.published_on)}

    def honour(r: m.Honour) -> dict[str, Any] | None:
        if b.drop_extra(r, "honour", "kind") or b.drop_extra(r, "honour", "level"):
            return None
        return {"kind": r.kind, "level": r.level, "year": r.year}

    def competition(r: m.Competition) -> dict[str, Any] | None:
        if r.place > MAX_COMPETITION_PLACE:
            b.skip(r, f"第 {r.place} 名在前三名以外，评价标准不计")
            return None
        return {"level": r.level, "place": r.place, "year": r.year}

    person = _person(user)
    education = b.items(
        "education",
        approved(m.Education, "graduated_on"),
        lambda r: {
            "level": r.level,
            "major": r.major,
            "relevant": r.is_relevant,
            "degree": r.has_degree,
            "graduated": _iso(r.graduated_on),
        },
    )
    titles = b.items("titles", approved(m.TitleHeld, "obtained_on", related=("level",)), title)
    skills = b.items(
        "skills",
        approved(m.SkillGradeCertificate, "obtained_on"),
        lambda r: {"grade": r.grade, "relevant": r.is_relevant, "obtained": _iso(r.obtained_on)},
    )
    work = b.items(
        "work",
        approved(m.WorkHistory, "start_date"),
        lambda r: {
            "start": _iso(r.start_date),
            "end": _iso(r.end_date),
            "relevant": r.is_relevant,
            "mountain_county": r.in_mountain_county,
            "government": r.is_government,
        },
    )
    insurance = b.items(
        "social_insurance",
        approved(m.SocialInsurance, "start_month"),
        lambda r: {
            "start": _month(r.start_month),
            "end": _month(r.end_month),
            "region": r.region_code,
            "current_employer": r.is_current_employer,
        },
    )
    ce_records = sorted(
        approved(m.ContinuingEducation, "year"),
        key=lambda r: (r.year, CE_CATEGORY_ORDER.index(r.category), r.pk),
    )
    continuing_education = b.items("continuing_education", ce_records, continuing)
    # Two approved assessments of one year contradict each other: the lower result counts.
    assessment_records = sorted(
        approved(m.AnnualAssessment, "year"), key=lambda r: (r.year, ASSESSMENT_ORDER.index(r.result), r.pk)
    )
    assessments = b.items("assessments", assessment_records, assessment)

    language = "none"
    languages = sorted(approved(m.LanguageCertificate), key=lambda r: (LANGUAGE_ORDER.index(r.kind), r.pk))
    if languages:
        language = languages[0].kind
        b.sources["language"] = languages[0].pk

    computers = list(approved(m.ComputerCertificate, "obtained_on"))
    computer_modules = min(sum(r.modules for r in computers), MAX_COMPUTER_MODULES)
    if computers:
        b.sources["computer_modules"] = [r.pk for r in computers]

    posts = b.items(
        "posts",
        approved(m.TechnicalPost, "start_date"),
        lambda r: {"kind": r.kind, "start": _iso(r.start_date), "end": _iso(r.end_date)},
    )

    income_over_120k = False
    income = [r for r in approved(m.IncomeCertificate, "-year") if r.year <= plan_year]
    if income:
        income_over_120k = income[0].over_120k
        b.sources["income_over_120k"] = income[0].pk

    awards = b.items(
        "awards",
        approved(m.Award, "awarded_on"),
        lambda r: {
            "level": r.level,
            "grade": r.grade,
            "rank": r.rank,
            "date": _iso(r.awarded_on),
            "achievement": r.achievement_id or None,
        },
    )
    project_records = sorted(
        [*approved(m.ResearchProject), *approved(m.EngineeringProject)], key=lambda r: (r.date, r.pk)
    )
    projects = b.items("projects", project_records, project)
    paper_records = sorted([*approved(m.Paper), *approved(m.Book)], key=lambda r: (r.published_on, r.pk))
    papers = b.items("papers", paper_records, paper)
    patents = b.items("patents", approved(m.Patent, "granted_on"), patent)
    standards = b.items("standards", approved(m.Standard, "published_on"), standard)
    new_products = b.items(
        "new_products",
        approved(m.NewProduct, "certified_on"),
        lambda r: {"level": r.level, "rank": r.rank, "date": _iso(r.certified_on)},
    )
    honors = b.items("honors", approved(m.Honour, "year"), honour)
    skill_titles = b.items("skill_titles", approved(m.SkillTitle, "year"), lambda r: {"kind": r.kind, "year": r.year})
    competitions = b.items("competitions", approved(m.Competition, "year"), competition)

    profile: dict[str, Any] = {
        "policy": policy,
        "level": level,
        "application_type": application_type,
        "plan_year": plan_year,
        "as_of": _iso(as_of),
        "deadline": _iso(deadline),
        "achievements_until": _iso(achievements_until),
        "person": person,
        "education": education,
        "titles": titles,
        "skills": skills,
        "work": work,
        "social_insurance": insurance,
        "continuing_education": continuing_education,
        "assessments": assessments,
        "language": language,
        "computer_modules": computer_modules,
        "posts": posts,
        "income_over_120k": income_over_120k,
        "awards": awards,
        "projects": projects,
        "papers": papers,
        "patents": patents,
        "standards": standards,
        "new_products": new_products,
        "honors": honors,
        "skill_titles": skill_titles,
        "competitions": competitions,
        "other_points": 0,
        "expert_recommendations": [],
        "claims": [],
        "integrity": [],
    }
    assert tuple(profile) == TOP_LEVEL_KEYS  # noqa: S101 - the contract's keys, in its order
    return ProfileBuild(profile=profile, sources=b.sources, skipped=b.skipped)
