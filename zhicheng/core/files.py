"""Serving private files: only from views that checked permission, never cached, inline."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404


def private_file_response(field: Any, *, filename: str, content_type: str) -> FileResponse:
    """The stored file of ``field`` shown inline; 404 when the file is missing from storage."""
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    response = FileResponse(handle, content_type=content_type, filename=filename)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
