"""Who may see, change and review an application.

``application.view``: the applicant, and the offices it is or was routed to (never others:
views answer 404). ``application.edit``: the applicant, while a draft or returned for
changes. ``application.review``: members with a reviewing role of the office at whose stage
the application waits now.
"""

from __future__ import annotations

from typing import Any

from zhicheng.applications.office_selectors import may_review, was_routed_to
from zhicheng.core.permissions import rule


def _own(user: Any, application: Any) -> bool:
    return application is not None and application.applicant_id == user.pk


@rule("application.view")
def view_application(user: Any, application: Any) -> bool:
    return _own(user, application) or (application is not None and was_routed_to(user, application))


@rule("application.edit")
def edit_application(user: Any, application: Any) -> bool:
    return _own(user, application) and application.is_editable


@rule("application.review")
def review_application(user: Any, application: Any) -> bool:
    return application is not None and not _own(user, application) and may_review(user, application)
