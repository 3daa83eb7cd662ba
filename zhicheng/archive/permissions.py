"""Permission rules of the archive (see ``zhicheng.core.permissions``).

Visibility itself is a selector (``selectors.records_visible_to``): views look records up
through it, so someone else's record is a 404; these rules then decide the action.
"""

from __future__ import annotations

from typing import Any

from zhicheng.archive import selectors
from zhicheng.archive.models import Evidence, Record
from zhicheng.core.permissions import rule
from zhicheng.orgs.selectors import user_roles


@rule("archive.keep_archive")
def may_keep_archive(user: Any, obj: Any = None) -> bool:
    """Applicants (people registered with an ID number) keep an archive."""
    return "applicant" in user_roles(user)


@rule("archive.view_record")
def may_view_record(user: Any, record: Record) -> bool:
    return record.owner_id == user.pk or selectors.reviews_staff_of(user, record.owner_id)


@rule("archive.edit_record", owner_only=True)
def may_edit_record(user: Any, record: Record) -> bool:
    """Only the owner (never a superuser on someone else's) edits, adds or removes evidence,
    or deletes; never a withdrawn record."""
    return record.owner_id == user.pk and record.withdrawn_at is None


@rule("archive.review_record")
def may_review_record(user: Any, record: Record) -> bool:
    """The owner's employer's reviewers, never on their own records."""
    return record.withdrawn_at is None and selectors.reviews_staff_of(user, record.owner_id)


@rule("archive.review_queue")
def may_see_review_queue(user: Any, obj: Any = None) -> bool:
    return selectors.reviewed_employer_ids(user).exists()


@rule("archive.view_evidence")
def may_view_evidence(user: Any, evidence: Evidence) -> bool:
    return may_view_record(user, evidence.record)


@rule("archive.import_records")
def may_import_records(user: Any, person: Any) -> bool:
    """Extracting from the registries: the person themself (an applicant), or platform staff."""
    if user.is_staff:
        return True
    return person is not None and person.pk == user.pk and "applicant" in user_roles(user)
