from django.urls import path

from zhicheng.certificates import views

app_name = "certificates"
urlpatterns = [
    path("manage/", views.manage, name="manage"),
    path("manage/plans/<int:pk>/", views.plan_results, name="plan"),
    path("manage/plans/<int:pk>/publicity/", views.publicity_open, name="publicity_open"),
    path("manage/publicities/<int:pk>/", views.publicity_detail, name="publicity"),
    path("manage/publicities/<int:pk>/publish/", views.publish, name="publish"),
    path("manage/objections/<int:pk>/handle/", views.objection_handle, name="objection_handle"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/certificate.pdf", views.certificate_pdf, name="pdf"),
]
