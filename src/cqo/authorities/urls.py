from django.urls import path

from . import views

app_name = "authorities"
urlpatterns = [
    path("", views.index, name="index"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval_detail"),
    path("approvals/<int:pk>/withdraw/", views.approval_withdraw, name="approval_withdraw"),
    path("delegations/", views.delegation_list, name="delegation_list"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
    path("strategy/", views.strategy_list, name="strategy_list"),
    path("strategy/<int:pk>/status/", views.strategy_status, name="strategy_status"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plan-items/<int:pk>/progress/", views.plan_item_progress, name="plan_item_progress"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/veto/", views.decision_veto, name="decision_veto"),
    path("decisions/<int:pk>/<slug:step>/", views.decision_step, name="decision_step"),
    path("vetoes/", views.veto_list, name="veto_list"),
    path("vetoes/<int:pk>/lift/", views.veto_lift, name="veto_lift"),
    path("vetoes/impose/<str:subject_type>/<str:pk>/", views.veto_impose, name="veto_impose"),
]
