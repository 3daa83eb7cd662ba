from django.urls import path

from zhicheng.applications import review_views, views

app_name = "applications"
urlpatterns = [
    path("", views.my_applications, name="list"),
    path("start/<int:plan_pk>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<slug:slug>/", views.step, name="step"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/refresh/", views.refresh_records, name="refresh"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("review/", review_views.queue, name="review_queue"),
    path("review/bulk/", review_views.bulk, name="review_bulk"),
    path("review/<int:pk>/", review_views.detail, name="review_detail"),
    path("review/<int:pk>/act/", review_views.act, name="review_act"),
    path("review/<int:pk>/extend/", review_views.extend, name="review_extend"),
    path("review/<int:pk>/evidence/<uuid:public_id>/", review_views.evidence, name="review_evidence"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_file, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/delete/",
        views.recommendation_delete,
        name="recommendation_delete",
    ),
]
