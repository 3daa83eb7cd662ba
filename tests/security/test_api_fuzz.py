"""Fuzzing the JSON API against its own OpenAPI schema (schemathesis, bounded).

Schemathesis reads ``/api/openapi.json`` from the WSGI application (no network), generates
requests for every operation (valid and invalid bodies) and checks each answer: never a
server error, status codes and bodies as documented. A second, hypothesis-driven test
starts from the documented example profile and breaks one field at a time with arbitrary
JSON, which reaches much deeper into the policy engine than random objects do.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from zhicheng.eligibility.api import PROFILE_EXAMPLE
from zhicheng.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


CASES_RUN = {"schema": 0, "mutations": 0}


@pytest.fixture(autouse=True)
def _no_rate_limit():
    """The policy API is rate limited per client; the fuzzer is one very busy client."""
    cache.clear()
    yield
    cache.clear()


@schema.parametrize()
@FUZZ
def test_api_conforms_to_its_schema(case, db):
    cache.clear()
    response = case.call()
    assert response.status_code < 500, response.text
    # The schema documents the body as "an object" (POLICY_API.md holds the real contract), so
    # a schema-valid ``{}`` is rightly refused with 422: that one check cannot apply.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    CASES_RUN["schema"] += 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


PATHS = [p for p in _paths(PROFILE_EXAMPLE) if p]


def _replace(value, path, new):
    if not path:
        return new
    head, *rest = path
    copy = json.loads(json.dumps(value))
    copy[head] = _replace(copy[head], rest, new)
    return copy


@given(path=st.sampled_from(PATHS), new=json_values)
@FUZZ
def test_broken_profiles_get_422_never_500(client, path, new):
    cache.clear()
    body = _replace(PROFILE_EXAMPLE, path, new)
    response = client.post("/api/v1/policy/evaluate", data=json.dumps(body), content_type="application/json")
    CASES_RUN["mutations"] += 1
    assert response.status_code in (200, 422), (path, new, response.status_code)
    data = response.json()
    if response.status_code == 422:
        assert data["detail"] and all({"loc", "msg"} <= set(e) for e in data["detail"])
    else:
        assert isinstance(data, dict)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'"x"',
        b"1e999999",
        b"\xff\xfe",
        b"[" * 5000 + b"]" * 5000,
        b'{"policy": "../../etc"}',
    ],
)
def test_hostile_bodies_are_refused_cleanly(client, body):
    response = client.post("/api/v1/policy/evaluate", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_report_fuzz_figures(capsys):
    """Prints how many generated cases ran (docs/security.md quotes the figures)."""
    with capsys.disabled():
        print(f"\nAPI fuzzing: {CASES_RUN['schema']} schema cases, {CASES_RUN['mutations']} profile mutations")
