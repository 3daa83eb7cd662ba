from django.urls import path

from zhicheng.orgs import views

app_name = "orgs"
urlpatterns = [
    path("employers/register/", views.employer_register, name="employer_register"),
    path("employers/mine/", views.my_employer, name="my_employer"),
    path("employers/search/", views.employer_search, name="employer_search"),
    path("employers/review/", views.employer_queue, name="employer_queue"),
    path("employers/<int:pk>/review/", views.employer_review, name="employer_review"),
    path("employers/<int:pk>/decide/", views.employer_decide, name="employer_decide"),
    path("employers/<int:pk>/authorisation-letter/", views.authorisation_letter, name="authorisation_letter"),
]
