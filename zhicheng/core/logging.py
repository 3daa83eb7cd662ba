"""Structured logs: one JSON object per line (production), for the log collector to parse.

``JsonFormatter`` writes ``time`` (UTC, ISO 8601 with milliseconds), ``level``, ``logger``,
``message``, the process id, and:

- for Django's ``django.request`` / ``django.server`` records: ``method``, ``path`` and
  ``status`` (never headers, cookies, the query string or the body);
- for gunicorn's access records (``gunicorn.access``): ``method``, ``path``, ``status``,
  ``bytes``, ``duration_ms``, ``remote`` and ``forwarded_for`` picked from the request's atoms
  (the atoms also hold every header, cookies included, so nothing else is copied);
- the fields a caller passes with ``extra={...}`` when they are plain JSON values;
- ``exc`` with the traceback of a logged exception.

A dependency (python-json-logger, structlog) would do the same; forty lines keep the
selection of what may be written (no secrets) in one place we read.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}
_PLAIN = (str, int, float, bool, type(None))
# Attributes of extras that may carry secrets or whole objects are never written.
_NEVER = {"request", "response", "password", "token", "secret", "cookie", "body"}


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    status = str(atoms.get("s", ""))
    return {
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "status": int(status) if status.isdigit() else status,
        "bytes": atoms.get("B"),
        "duration_ms": atoms.get("M"),
        "remote": atoms.get("h"),
        "forwarded_for": atoms.get("{x-forwarded-for}i") or None,
        "request_id": atoms.get("{x-request-id}i") or None,
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": os.getpid(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry["message"] = "request"
            entry.update((k, v) for k, v in _access_fields(record.args).items() if v is not None)
        else:
            entry["message"] = record.getMessage()
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = getattr(request, "path", "")
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry or key.lower() in _NEVER or key.startswith("_"):
                continue
            if isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)
