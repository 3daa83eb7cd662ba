"""The draw and avoidance as pure functions: the same seed and pool give the same panel,
whatever the order; every assigned pair is free of conflict, and every free pair is assigned."""

from __future__ import annotations

import hashlib
import random

from hypothesis import given
from hypothesis import strategies as st

from zhicheng.evaluation.avoidance import ApplicantFacts, ExpertFacts, assign, conflict
from zhicheng.evaluation.draw import draw, new_seed, rank_key

seeds = st.text(alphabet="0123456789abcdef", min_size=1, max_size=32)
pools = st.sets(st.integers(1, 10_000), max_size=60)


@given(seed=seeds, pool=pools, size=st.integers(0, 70), shuffle_seed=st.integers())
def test_the_same_seed_and_pool_give_the_same_panel_in_any_order(seed, pool, size, shuffle_seed):
    ordered = sorted(pool)
    shuffled = list(pool)
    random.Random(shuffle_seed).shuffle(shuffled)
    panel = draw(seed, ordered, size)
    assert draw(seed, shuffled, size) == panel
    assert draw(seed, ordered + ordered, size) == panel  # duplicates do not matter
    assert len(panel) == min(size, len(pool)) and len(set(panel)) == len(panel) and set(panel) <= pool


@given(seed=seeds, pool=pools, size=st.integers(0, 60))
def test_a_smaller_draw_is_the_start_of_a_larger_one(seed, pool, size):
    assert draw(seed, pool, size) == draw(seed, pool, size + 5)[:size]


def test_the_order_is_the_published_rank_key():
    """Anyone can recompute a draw: sha256("<seed>:<id>") in hex, smallest first."""
    seed = "5eed"
    key = {c: hashlib.sha256(f"{seed}:{c}".encode()).hexdigest() for c in range(1, 6)}
    assert rank_key(seed, 3) == key[3]
    assert draw(seed, [5, 4, 3, 2, 1], 3) == sorted(key, key=key.get)[:3]


def test_seeds_are_random_and_long():
    seeds_ = {new_seed() for _ in range(50)}
    assert len(seeds_) == 50 and all(len(s) == 32 for s in seeds_)


experts = st.builds(
    ExpertFacts,
    expert_id=st.integers(1, 10_000),
    user_id=st.one_of(st.none(), st.integers(1, 20)),
    employer_id=st.one_of(st.none(), st.integers(1, 6)),
    related_id_numbers=st.frozensets(st.sampled_from(["A1", "B2", "C3", "D4"]), max_size=2),
)
applicants = st.builds(
    ApplicantFacts,
    application_id=st.integers(1, 10_000),
    user_id=st.integers(1, 20),
    employer_id=st.one_of(st.none(), st.integers(1, 6)),
    id_numbers=st.frozensets(st.sampled_from(["A1", "B2", "C3", "D4", "E5"]), min_size=1, max_size=1),
)


@given(
    st.lists(experts, max_size=12, unique_by=lambda e: e.expert_id),
    st.lists(applicants, max_size=12, unique_by=lambda a: a.application_id),
)
def test_every_assigned_pair_is_free_of_conflict_and_every_free_pair_is_assigned(panel, people):
    pairs = assign(panel, people)
    for expert in panel:
        for person in people:
            free = (
                (expert.user_id is None or expert.user_id != person.user_id)
                and (expert.employer_id is None or expert.employer_id != person.employer_id)
                and not (expert.related_id_numbers & person.id_numbers)
            )
            assert ((expert.expert_id, person.application_id) in pairs) is free
            assert (conflict(expert, person) == "") is free


def test_conflict_reasons():
    expert = ExpertFacts(1, user_id=7, employer_id=3, related_id_numbers=frozenset({"X"}))
    assert conflict(expert, ApplicantFacts(1, 7, None, frozenset({"Y"}))) == "本人申报"
    assert conflict(expert, ApplicantFacts(1, 8, 3, frozenset({"Y"}))) == "同一工作单位"
    assert conflict(expert, ApplicantFacts(1, 8, 4, frozenset({"X"}))).startswith("申报有关系")
    assert conflict(expert, ApplicantFacts(1, 8, 4, frozenset({"Y"}))) == ""
    # no employer on record is never "the same employer"
    assert conflict(ExpertFacts(2, None, None, frozenset()), ApplicantFacts(1, 8, None, frozenset({"Y"}))) == ""
