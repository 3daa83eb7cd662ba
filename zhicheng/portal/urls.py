from django.urls import path

from zhicheng.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("results/", views.publicity_list, name="publicities"),
    path("results/<int:pk>/", views.publicity_detail, name="publicity"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
