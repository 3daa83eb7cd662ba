"""Fixtures for the reference app: the loaded reference data and a fresh working-day cache."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def loaded(db):
    """Every reference data set, loaded by the management command as an operator would."""
    call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_workday_cache():
    from zhicheng.reference.selectors import clear_workday_cache

    clear_workday_cache()
    yield
    clear_workday_cache()
