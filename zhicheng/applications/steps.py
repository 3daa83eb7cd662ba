"""The six steps of the application (seed 003 §五.4) and the rules of step 3's branches.

Step 3's current-qualification branches follow the seed: a technician applies with an
intermediate-worker certificate (职业资格) or with education alone (无); an assistant engineer
with a senior-worker certificate, a technician title (专业技术职务任职资格) or education alone;
an engineer with an assistant-engineer (or, to transfer, an engineer) title, or a technician
(二级技师) certificate. An appointment (聘任) is needed only when applying for engineer on an
assistant-engineer title, or transferring on an engineer title.
"""

from __future__ import annotations

from dataclasses import dataclass

PHOTO, PLEDGE, INFO, RECORDS, ATTACHMENTS, PREVIEW = range(1, 7)


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: str


STEPS = (
    Step(PHOTO, "photo", "上传照片"),
    Step(PLEDGE, "pledge", "真实性保证书"),
    Step(INFO, "info", "申报信息"),
    Step(RECORDS, "records", "提取业绩档案"),
    Step(ATTACHMENTS, "attachments", "相关附件"),
    Step(PREVIEW, "preview", "预览并提交"),
)
BY_SLUG = {step.slug: step for step in STEPS}

PLEDGE_VERSION = "2024-1"
PLEDGE_TEXT = (
    "本人郑重承诺：本次申报所填报的个人信息、业绩档案及上传的全部佐证材料均真实、准确、完整，"
    "不存在伪造、变造证书或材料，剽窃他人成果，隐瞒违纪违法行为等情形。"
    "如有不实，本人愿承担取消申报资格、撤销所取得的职称并记入职称评审诚信档案"
    "（自下一年度起三年内不得申报）等一切后果。"
)

# The highest skill grade number (1 高级技师 … 5 初级工) accepted per level.
VOCATIONAL_MAX_GRADE = {"technician": 4, "assistant_engineer": 3, "engineer": 2}
VOCATIONAL_NAMES = {4: "中级工（四级）", 3: "高级工（三级）", 2: "技师（二级）"}
# The title levels accepted as the current qualification per level applied for.
TITLE_QUALIFICATIONS = {
    "assistant_engineer": ("technician",),
    "engineer": ("assistant_engineer", "engineer"),
}
LEVEL_NAMES = {"technician": "技术员", "assistant_engineer": "助理工程师", "engineer": "工程师"}


def vocational_problem(level: str, grade: int) -> str:
    """Why a skill certificate of ``grade`` cannot be the qualification for ``level`` ("" if it can)."""
    highest = VOCATIONAL_MAX_GRADE.get(level)
    if highest is None:
        return f"申报{LEVEL_NAMES.get(level, level)}不能以职业资格申报。"
    if grade > highest:
        return f"申报{LEVEL_NAMES[level]}选择“职业资格”时，须为{VOCATIONAL_NAMES[highest]}及以上职业技能等级证书。"
    return ""


def title_problem(level: str, title_level: str) -> str:
    """Why a title of ``title_level`` cannot be the qualification for ``level`` ("" if it can)."""
    accepted = TITLE_QUALIFICATIONS.get(level)
    if accepted is None:
        return f"申报{LEVEL_NAMES.get(level, level)}无需选择专业技术职务任职资格，请选择“职业资格”或“无”。"
    if title_level not in accepted:
        names = "或".join(LEVEL_NAMES[code] for code in accepted)
        return f"申报{LEVEL_NAMES[level]}选择“专业技术职务任职资格”时，须为{names}职称。"
    return ""


def appointment_needed(level: str, application_type: str, title_levels: list[str]) -> bool:
    """Seed 003 §五.4 (4): an appointment only for engineer on an assistant-engineer title, or to transfer."""
    if level != "engineer":
        return False
    return "assistant_engineer" in title_levels or (application_type == "transfer" and "engineer" in title_levels)
