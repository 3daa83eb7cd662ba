from django.urls import path

from zhicheng.integrity import views

app_name = "integrity"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_new, name="new"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/edit/", views.record_edit, name="edit"),
    path("<int:pk>/annul/", views.record_annul, name="annul"),
]
