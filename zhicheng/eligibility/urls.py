from django.urls import path

from zhicheng.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("selfcheck/", views.selfcheck, name="selfcheck"),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/<slug:policy_id>/", views.policy_detail, name="policy_detail"),
]
