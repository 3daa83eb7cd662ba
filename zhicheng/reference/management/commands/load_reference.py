"""``manage.py load_reference``: load the versioned reference data files (idempotent).

Examples::

    python manage.py load_reference                 # load what is new
    python manage.py load_reference --force         # re-apply every file (writes only differences)
    python manage.py load_reference --only regions  # one data set
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhicheng.reference.loader import DATA_DIR, ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "加载参考数据（行政区划、职称级别、系列专业、相关专业大类、年度评审计划、企业荣誉名单）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(DATA_DIR), help="数据文件目录（默认为应用自带的 data/）")
        parser.add_argument("--force", action="store_true", help="忽略已记录的版本，重新应用全部文件")
        parser.add_argument("--only", action="append", metavar="DATASET", help="只加载指定数据集（可重复）")

    def handle(self, *args, **options):
        data_dir = Path(options["data_dir"])
        if not data_dir.is_dir():
            raise CommandError(f"数据目录不存在：{data_dir}")
        try:
            results = load_reference_data(data_dir, force=options["force"], only=options["only"])
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] < 1:
            return
        for result in results:
            style = self.style.SUCCESS if result.status == "loaded" else self.style.NOTICE
            self.stdout.write(style(result.summary()))
