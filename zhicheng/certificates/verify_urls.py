"""Public certificate verification (no login): ``/verify/`` and the QR code's ``/verify/<token>/``."""

from django.urls import path, re_path

from zhicheng.certificates import views

app_name = "verify"
urlpatterns = [
    path("", views.verify, name="lookup"),
    re_path(r"^(?P<token>[A-Za-z0-9_-]{16,64})/$", views.verify_token, name="token"),
]
