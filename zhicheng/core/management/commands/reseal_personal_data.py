"""Re-seal every ID number with the current ZHICHENG_DATA_KEY (the last step of a key rotation)."""

from django.core.management.base import BaseCommand

from zhicheng.applications.snapshot import reseal_snapshots
from zhicheng.core.audit import log_action
from zhicheng.core.reseal import reseal_fields


class Command(BaseCommand):
    help = "用当前 ZHICHENG_DATA_KEY 重新加密全部证件号码并重算检索码（更换密钥的最后一步）。"

    def handle(self, *args, **options):
        counts = reseal_fields()
        counts["applications.Application.snapshot"] = reseal_snapshots()
        log_action(actor=None, action="personal_data.resealed", data=counts)
        for label, rewritten in counts.items():
            self.stdout.write(f"{label}: {rewritten}")
        self.stdout.write(self.style.SUCCESS("已用当前密钥重新加密；旧密钥可从 ZHICHENG_OLD_DATA_KEYS 中移除。"))
