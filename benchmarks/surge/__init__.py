"""The deadline-surge benchmark (``run.py``) and what the failure tests share with it:
seeding PostgreSQL (``seed.py``), starting gunicorn and Celery (``servers.py``) and the
HTTP load generator (``load.py``). See docs/benchmarks.md."""
