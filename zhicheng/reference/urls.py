from django.urls import path

from zhicheng.reference import views

app_name = "reference"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("regions/", views.regions, name="regions"),
]
