from django.urls import path

from zhicheng.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.create, name="create"),
    path("manage/<int:pk>/edit/", views.edit, name="edit"),
]
