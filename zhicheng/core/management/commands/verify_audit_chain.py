"""Verify the audit log's hash chain; exit 1 naming the first broken entry."""

from django.core.management.base import BaseCommand, CommandError

from zhicheng.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验操作日志的哈希链，报告第一条被篡改的记录。"

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            where = f"第 {report.first_broken_id} 号记录" if report.first_broken_id else "日志末尾"
            raise CommandError(f"操作日志校验失败：{where}：{report.reason}（此前 {report.checked} 条完好）")
        self.stdout.write(self.style.SUCCESS(f"操作日志完好：共 {report.checked} 条记录，哈希链连续。"))
