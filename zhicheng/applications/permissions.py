"""Who may see and change an application.

``application.view``: the applicant (reviewers along the plan's chain come with issue 6).
``application.edit``: the applicant, while the application is a draft.
"""

from __future__ import annotations

from typing import Any

from zhicheng.core.permissions import rule


@rule("application.view")
def view_application(user: Any, application: Any) -> bool:
    return application is not None and application.applicant_id == user.pk


@rule("application.edit")
def edit_application(user: Any, application: Any) -> bool:
    return view_application(user, application) and application.is_draft
