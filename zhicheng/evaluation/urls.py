from django.urls import path

from zhicheng.evaluation.views import expert, office

app_name = "evaluation"
urlpatterns = [
    # the committee office (evaluation.manage)
    path("", office.index, name="index"),
    path("pool/", office.pool_list, name="pool"),
    path("pool/new/", office.expert_create, name="expert_create"),
    path("pool/<int:pk>/", office.expert_detail, name="expert"),
    path("pool/<int:pk>/relations/", office.relation_add, name="relation_add"),
    path("plans/<int:plan_id>/", office.plan_overview, name="plan"),
    path("plans/<int:plan_id>/panel/", office.panel_page, name="panel"),
    path("plans/<int:plan_id>/panel/draw/", office.panel_draw, name="panel_draw"),
    path("plans/<int:plan_id>/panel/refresh/", office.panel_refresh, name="panel_refresh"),
    path("plans/<int:plan_id>/panel/members/<int:pk>/replace/", office.member_replace, name="member_replace"),
    path("plans/<int:plan_id>/exams/", office.exams_page, name="exams"),
    path("plans/<int:plan_id>/exams/scale/", office.exams_scale, name="exams_scale"),
    path("plans/<int:plan_id>/exams/template.xlsx", office.exams_template, name="exams_template"),
    path("plans/<int:plan_id>/exams/import/", office.exams_import, name="exams_import"),
    path("plans/<int:plan_id>/sheet/", office.sheet_page, name="sheet"),
    path("plans/<int:plan_id>/vote/", office.vote_page, name="vote"),
    path("plans/<int:plan_id>/vote/open/", office.vote_open, name="vote_open"),
    path("plans/<int:plan_id>/vote/close/", office.vote_close, name="vote_close"),
    path("plans/<int:plan_id>/vote/confirm/", office.vote_confirm, name="vote_confirm"),
    # panel members (evaluation.score)
    path("my/", expert.my_assignments, name="my_assignments"),
    path("my/assignments/<int:pk>/", expert.assignment_page, name="assignment"),
    path("my/plans/<int:plan_id>/ballot/", expert.ballot, name="ballot"),
]
