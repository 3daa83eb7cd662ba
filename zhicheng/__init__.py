"""Zhicheng: the Django project package.

The Celery app (``zhicheng/celery.py``) is not imported here: importing Celery costs ≈ 0.2 s,
which every management command and the policy engine's command line would pay for nothing.
The task modules import it before declaring their tasks, so ``shared_task`` always binds
to the project's app and its broker settings; ``celery -A zhicheng`` finds it as
``zhicheng.celery`` (or ``zhicheng.celery_app``, resolved on first use).
"""

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "celery_app":
        from zhicheng.celery import app

        return app
    raise AttributeError(f"module 'zhicheng' has no attribute {name!r}")
