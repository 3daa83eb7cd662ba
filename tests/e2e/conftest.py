"""End-to-end journeys in a real Chromium, driven by Playwright's sync API against ``live_server``.

- Debian's Chromium at ``/usr/bin/chromium`` is used (``./dev test`` installs it); Playwright's
  own browser downloads are never used. Without it every test here is skipped.
- ``live_server`` runs on the transactional test database, which is flushed after each test,
  so the reference data is (re)loaded by the ``reference_loaded`` fixture.
- A failing test leaves a full-page screenshot under pytest's temporary directory; its path is
  printed in the failure report.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Sync Playwright runs an event loop in the test thread; Django's ORM would otherwise refuse
# the queries the test makes directly (``SynchronousOnlyOperation``).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Every test under ``tests/e2e`` carries the ``e2e`` mark (select with ``-m e2e``)."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (`./dev test` installs Debian's chromium package)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages open relative to the live server (``page.goto("/accounts/login/")``).

    Also replaces pytest-playwright's own ``base_url`` fixture, a class method that pytest 9 warns about.
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def page(page, request, tmp_path_factory):
    """pytest-playwright's page; after a failed test, a full-page screenshot is saved first."""
    yield page
    report = getattr(request.node, "_e2e_report_call", None)
    if report is None or not report.failed:
        return
    target = tmp_path_factory.mktemp("e2e-failures") / f"{request.node.name}.png"
    try:
        page.screenshot(path=str(target), full_page=True)
    except Exception as exc:  # the page may already be gone
        report.sections.append(("e2e screenshot", f"could not save a screenshot: {exc}"))
    else:
        report.sections.append(("e2e screenshot", f"{page.url}\n{target}"))


@pytest.fixture
def js_errors(page):
    """Uncaught JavaScript errors of the page; a journey asserts the list stays empty."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


@pytest.fixture
def reference_loaded(live_server):
    """Regions, series, calendars … in the live server's (transactional, flushed) database."""
    from zhicheng.reference.models import Region

    if not Region.objects.exists():
        call_command("load_reference", verbosity=0)
