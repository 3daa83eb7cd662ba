from django.urls import path

from zhicheng.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", views.registry_import, name="registry_import"),
    path("continuing-education/", views.continuing_education_years, name="ce_years"),
    path("growth/", views.growth_track, name="growth"),
    path("types/<slug:type_code>/", views.record_list, name="record_list"),
    path("types/<slug:type_code>/add/", views.record_add, name="record_add"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("records/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("records/<int:pk>/review/", views.record_review, name="record_review"),
    path("evidence/<uuid:public_id>/", views.evidence_file, name="evidence_file"),
    path("evidence/<uuid:public_id>/remove/", views.evidence_remove, name="evidence_remove"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/bulk/", views.bulk_review, name="bulk_review"),
]
