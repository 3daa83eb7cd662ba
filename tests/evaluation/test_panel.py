"""The panel: a random draw with avoidance, reproducible from its recorded seed; replacement of
a declining member by a new recorded draw; assignments that follow declared relations."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.evaluation.conftest import add_expert, make_qualified
from zhicheng.core.models import AuditEntry
from zhicheng.core.permissions import can
from zhicheng.evaluation import selectors
from zhicheng.evaluation.draw import draw
from zhicheng.evaluation.models import Assignment, Expert, ExpertRelation, PanelDraw, PanelMember
from zhicheng.evaluation.services import panel as panel_services
from zhicheng.evaluation.services import pool
from zhicheng.evaluation.services.common import EvaluationError
from zhicheng.orgs.models import Organisation
from zhicheng.reference.models import TitleLevel

pytestmark = pytest.mark.django_db


def demo_pool(plan) -> dict[str, Expert]:
    return {e.name: e for e in Expert.objects.filter(committee=plan.committee)}


def active_pairs(plan) -> set[tuple[int, int]]:
    return set(selectors.active_assignments(plan).values_list("member__expert_id", "application_id"))


def test_the_draw_records_its_seed_and_recomputes_from_it(secretary, open_plan, zhang_qualified):
    panel = panel_services.panel_draw(actor=secretary, plan=open_plan, size=4)
    record = panel.draws.get()
    experts = demo_pool(open_plan)
    assert record.kind == PanelDraw.Kind.INITIAL and len(record.seed) == 32
    assert record.candidates == sorted(e.pk for e in experts.values())  # all six are senior or higher
    assert record.chosen == draw(record.seed, record.candidates, 4)
    assert sorted(panel.members.values_list("expert_id", flat=True)) == sorted(record.chosen)
    entry = AuditEntry.objects.get(action="evaluation.panel_draw")
    assert entry.data["seed"] == record.seed and entry.data["chosen"] == record.chosen
    assert entry.actor_id == secretary.pk
    assert all(reproduces for _record, reproduces, _chosen in selectors.draws(panel))


def test_the_same_seed_and_pool_give_the_same_panel(secretary, open_plan, zhang_qualified):
    def drawn(seed: str) -> list[int]:
        with transaction.atomic():
            panel = panel_services.panel_draw(actor=secretary, plan=open_plan, size=3, seed=seed)
            chosen = list(panel.members.order_by("pk").values_list("expert_id", flat=True))
            transaction.set_rollback(True)
        return chosen

    assert drawn("seed-one") == drawn("seed-one")
    panels = {tuple(sorted(drawn(f"seed-{n}"))) for n in range(12)}
    assert len(panels) > 1  # different seeds do draw different panels


def test_an_expert_never_judges_an_applicant_of_their_own_employer(secretary, open_plan, zhang_qualified):
    experts = demo_pool(open_plan)
    ouijang = Organisation.objects.get(name="温州瓯江电气科技有限公司")
    colleague_of_liu = make_qualified(open_plan, employer=ouijang)
    panel = panel_services.panel_draw(actor=secretary, plan=open_plan, size=6)
    pairs = active_pairs(open_plan)
    assert (experts["陈国栋"].pk, zhang_qualified.pk) not in pairs  # 陈国栋 works at 张伟's firm
    assert (experts["刘振华"].pk, zhang_qualified.pk) in pairs
    assert (experts["刘振华"].pk, colleague_of_liu.pk) not in pairs
    rows = {row.application.pk: row for row in selectors.panel_rows(open_plan, panel)}
    assert [(m.expert.name, reason) for m, reason in rows[zhang_qualified.pk].avoided] == [("陈国栋", "同一工作单位")]
    assert len(rows[zhang_qualified.pk].judges) == 5


def test_a_declared_relation_withdraws_the_assignment(secretary, open_plan, zhang_qualified, expert_user):
    liu = demo_pool(open_plan)["刘振华"]
    panel_services.panel_draw(actor=secretary, plan=open_plan, size=6)
    assert can(expert_user, "evaluation.score", zhang_qualified)
    pool.relation_declare(
        actor=secretary,
        expert=liu,
        data={"person_name": "张伟", "id_number": zhang_qualified.applicant.id_number.lower(), "kind": "kin"},
    )
    assignment = Assignment.objects.get(member__expert=liu, application=zhang_qualified)
    assert assignment.withdrawn_at is not None and assignment.withdrawn_reason.startswith("申报有关系")
    assert not can(expert_user, "evaluation.score", zhang_qualified)
    assert AuditEntry.objects.filter(action="evaluation.relation_declare").exists()


def test_an_expert_never_judges_themselves(secretary, open_plan, zhang_qualified, zhang):
    Expert.objects.filter(committee=open_plan.committee).update(is_active=False)
    himself = add_expert(open_plan.committee, user=zhang)
    others = [add_expert(open_plan.committee) for _ in range(3)]
    panel_services.panel_draw(actor=secretary, plan=open_plan, size=4)
    pairs = active_pairs(open_plan)
    assert (himself.pk, zhang_qualified.pk) not in pairs
    assert all((e.pk, zhang_qualified.pk) in pairs for e in others)


def test_a_declining_member_is_replaced_by_a_new_recorded_draw(secretary, open_plan, zhang_qualified):
    panel = panel_services.panel_draw(actor=secretary, plan=open_plan, size=4)
    leaving = panel.members.exclude(expert__name="陈国栋").first()
    seated = set(panel.members.values_list("expert_id", flat=True))
    replacement = panel_services.member_replace(actor=secretary, member=leaving, reason="出差在外", seed="r-1")

    leaving.refresh_from_db()
    assert leaving.status == PanelMember.Status.DECLINED and leaving.decline_reason == "出差在外"
    record = replacement.draw
    assert record.kind == PanelDraw.Kind.REPLACEMENT and record.replaces == leaving and record.seed == "r-1"
    assert set(record.candidates) == {e.pk for e in demo_pool(open_plan).values()} - seated
    assert [replacement.expert_id] == record.chosen == draw("r-1", record.candidates, 1)
    assert panel.members.filter(status="active").count() == 4
    withdrawn = Assignment.objects.get(member=leaving, application=zhang_qualified)
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_reason == "专家已谢绝"
    audit = AuditEntry.objects.get(action="evaluation.panel_replace")
    assert audit.data["seed"] == "r-1" and audit.data["declined"] == leaving.expert_id

    with pytest.raises(EvaluationError, match="已经替补过"):
        panel_services.member_replace(actor=secretary, member=leaving, reason="再次")


def test_no_replacement_left_changes_nothing(secretary, open_plan, zhang_qualified):
    panel = panel_services.panel_draw(actor=secretary, plan=open_plan, size=6)
    member = panel.members.first()
    with pytest.raises(EvaluationError, match="没有可替补"):
        panel_services.member_replace(actor=secretary, member=member, reason="生病")
    member.refresh_from_db()
    assert member.is_active and panel.draws.count() == 1


def test_the_draw_refuses_what_it_cannot_do(secretary, open_plan, zhang):
    with pytest.raises(EvaluationError, match="还没有资格审查通过"):
        panel_services.panel_draw(actor=secretary, plan=open_plan, size=3)
    make_qualified(open_plan)
    with pytest.raises(EvaluationError, match="只有 6 名"):
        panel_services.panel_draw(actor=secretary, plan=open_plan, size=7)
    with pytest.raises(EvaluationError, match="3 到 25"):
        panel_services.panel_draw(actor=secretary, plan=open_plan, size=2)
    panel_services.panel_draw(actor=secretary, plan=open_plan, size=3)
    with pytest.raises(EvaluationError, match="已抽取"):
        panel_services.panel_draw(actor=secretary, plan=open_plan, size=3)


def test_candidates_hold_a_title_above_the_levels_reviewed(open_plan, demo):
    low = add_expert(open_plan.committee, level="engineer")
    inactive = add_expert(open_plan.committee, is_active=False)
    ids = set(selectors.candidates(open_plan).values_list("pk", flat=True))
    assert low.pk not in ids and inactive.pk not in ids and len(ids) == 6


def test_only_the_committee_office_draws(open_plan, zhang_qualified, expert_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        panel_services.panel_draw(actor=expert_user, plan=open_plan, size=3)


# --- Avoidance over random pools and seeds, through the real services -----------------------

ID_POOL = st.integers(0, 3)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_avoidance_holds_for_every_drawn_pair(secretary, open_plan, data):
    with transaction.atomic():
        Expert.objects.filter(committee=open_plan.committee).update(is_active=False)
        employers = [factories.EmployerFactory() for _ in range(3)]
        applications = [
            make_qualified(open_plan, employer=employers[data.draw(st.integers(0, 2))])
            for _ in range(data.draw(st.integers(1, 4)))
        ]
        senior = TitleLevel.objects.get(code="senior_engineer")
        experts, users_taken = [], set()
        for index in range(data.draw(st.integers(3, 8))):
            own = data.draw(st.one_of(st.none(), st.integers(0, len(applications) - 1)), label=f"self {index}")
            if own in users_taken:  # an account is one expert of a committee
                own = None
            users_taken.add(own)
            works_at = data.draw(st.one_of(st.none(), st.integers(0, 2)), label=f"employer {index}")
            expert = Expert.objects.create(
                committee=open_plan.committee,
                name=f"随机专家{index}",
                title_level=senior,
                specialty="机械",
                region=open_plan.committee.region,
                employer=employers[works_at] if works_at is not None else None,
                user=applications[own].applicant if own is not None else None,
            )
            for related in data.draw(st.sets(st.integers(0, len(applications) - 1), max_size=2)):
                ExpertRelation.objects.create(
                    expert=expert,
                    person_name="某人",
                    id_number=applications[related].applicant.id_number,
                    kind="kin",
                    recorded_by=secretary,
                )
            experts.append(expert)
        size = data.draw(st.integers(3, len(experts)))
        seed = data.draw(st.text(alphabet="0123456789abcdef", min_size=1, max_size=16))
        panel_services.panel_draw(actor=secretary, plan=open_plan, size=size, seed=seed)

        members = {m.expert_id: m.expert for m in PanelMember.objects.filter(panel__plan=open_plan)}
        assert len(members) == size
        pairs = active_pairs(open_plan)
        for expert in members.values():
            related = set(expert.relations.values_list("id_number", flat=True))
            for application in applications:
                free = (
                    expert.user_id != application.applicant_id
                    and (
                        expert.employer_id is None
                        or expert.employer_id != application.snapshot["person"]["employer_id"]
                    )
                    and application.applicant.id_number not in related
                )
                assert ((expert.pk, application.pk) in pairs) is free
        transaction.set_rollback(True)


def test_a_new_employer_rechecks_the_panel(secretary, open_plan, zhang_qualified):
    experts = demo_pool(open_plan)
    panel_services.panel_draw(actor=secretary, plan=open_plan, size=6)
    lin = experts["林海峰"]
    assert (lin.pk, zhang_qualified.pk) in active_pairs(open_plan)
    huadong = Organisation.objects.get(name="瑞安市华东机械有限公司")
    data = {"employer": huadong}
    pool.expert_update(actor=secretary, expert=lin, data=data)
    assert (lin.pk, zhang_qualified.pk) not in active_pairs(open_plan)
