"""POST /api/v1/policy/evaluate: the engine over HTTP; 422 naming fields, never 500."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "rules" / "examples"
URL = "/api/v1/policy/evaluate"


def _example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def _post(client, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return client.post(URL, data=data, content_type=content_type)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_examples_get_their_verdict_over_http(client, name):
    example = _example(name)
    response = _post(client, example["profile"])
    assert response.status_code == 200
    result = response.json()
    assert result["eligible"] is example["expect"]["eligible"]
    met = {route["id"].split("/", 1)[1] for route in result["routes"] if route["met"]}
    assert set(example["expect"].get("met", [])) <= met
    assert not set(example["expect"].get("unmet", [])) & met


def test_api_needs_no_login_and_no_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    assert _post(client, _example("01-wz-engineer-normal.json")["profile"]).status_code == 200


@pytest.mark.parametrize(
    ("mutate", "loc"),
    [
        (lambda p: p.update(unknown_key=1), "unknown_key"),
        (lambda p: p["education"][0].update(graduated="2010-02-30"), "education[0].graduated"),
        (lambda p: p["continuing_education"][0].update(hours=-5), "continuing_education[0].hours"),
        (lambda p: p.update(plan_year="next year"), "plan_year"),
    ],
)
def test_invalid_profile_is_422_naming_the_field(client, mutate, loc):
    profile = _example("01-wz-engineer-normal.json")["profile"]
    mutate(profile)
    response = _post(client, profile)
    assert response.status_code == 422
    assert loc in [error["loc"] for error in response.json()["detail"]]


@pytest.mark.parametrize("body", ["", "{not json", "[]", "42", '"text"', "null"])
def test_malformed_bodies_are_422_not_500(client, body):
    response = _post(client, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]


def test_unknown_policy_is_422(client):
    profile = _example("01-wz-engineer-normal.json")["profile"]
    profile["policy"] = "no-such-policy"
    response = _post(client, profile)
    assert response.status_code == 422
    assert "policy" in [error["loc"] for error in response.json()["detail"]]


def test_openapi_documents_the_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    assert URL in schema["paths"] and "post" in schema["paths"][URL]
    assert "422" in schema["paths"][URL]["post"]["responses"]


@pytest.mark.django_db
def test_docs_page_uses_no_cdn(client):
    html = client.get("/api/docs").content.decode()
    assert "cdn." not in html and "swagger" in html.lower()
