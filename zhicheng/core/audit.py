"""The audit log: every state change appends one hash-chained entry.

``log_action`` must be called inside the transaction of the change it records, so the entry
and the change commit or roll back together. Appends lock ``AuditHead`` so that concurrent
transactions extend one chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from zhicheng.core.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64


def _canonical(entry: AuditEntry) -> str:
    content = {
        "created_at": entry.created_at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256((entry.prev_hash + _canonical(entry)).encode()).hexdigest()


def log_action(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry: ``actor`` did ``action`` (a dotted code) to ``obj``."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        actor_id = getattr(actor, "pk", None)
        entry = AuditEntry(
            created_at=timezone.now(),
            actor_id=actor_id,
            actor_label=str(actor) if actor_id else "系统",
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            # Round-trip through JSON so the stored data hashes the same when read back.
            data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False)),
            prev_hash=head.last_hash,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save()
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def verify_chain() -> ChainReport:
    """Walk the log in order; report the first entry whose link or content does not hold."""
    expected_prev = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != expected_prev:
            return ChainReport(checked, entry.pk, "与上一条记录的链接不一致（有记录被删除或插入）")
        if compute_hash(entry) != entry.entry_hash:
            return ChainReport(checked, entry.pk, "记录内容与其哈希不符（记录被修改）")
        expected_prev = entry.entry_hash
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != expected_prev:
        return ChainReport(checked, None, "最后一条记录与链头不一致（末尾记录被删除）")
    return ChainReport(checked)


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The log of one object, oldest first (查看日志)."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")
