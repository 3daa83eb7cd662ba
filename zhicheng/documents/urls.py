from django.urls import path

from zhicheng.documents import views

app_name = "documents"
urlpatterns = [
    path("applications/<int:pk>/", views.application_documents, name="application"),
    path("applications/<int:pk>/<slug:slug>.pdf", views.application_pdf, name="pdf"),
    path("plans/<int:pk>/export/", views.plan_export, name="plan_export"),
    path("jobs/<uuid:public_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:public_id>/status/", views.job_status, name="job_status"),
    path("jobs/<uuid:public_id>/download/", views.job_download, name="job_download"),
]
