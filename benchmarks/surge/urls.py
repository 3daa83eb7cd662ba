"""The project's URLs plus the benchmark's minimal view."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def minimal(request: HttpRequest) -> JsonResponse:
    """The least a Django view can do: the ceiling of this machine and server."""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/minimal", minimal),
    path("", include("zhicheng.urls")),
]
handler500 = "zhicheng.core.health.server_error"
