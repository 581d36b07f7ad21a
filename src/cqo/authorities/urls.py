from django.urls import path

from . import views

app_name = "authorities"
urlpatterns = [
    path("", views.index, name="index"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/new/", views.approval_new, name="approval_new"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval_detail"),
    path(
        "approvals/<int:pk>/attachments/<int:attachment>/",
        views.approval_attachment,
        name="approval_attachment",
    ),
    path("approvals/<int:pk>/withdraw/", views.approval_withdraw, name="approval_withdraw"),
    path("delegations/", views.delegation_list, name="delegation_list"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
    path("vetoes/", views.veto_list, name="veto_list"),
    path("vetoes/<int:pk>/lift/", views.veto_lift, name="veto_lift"),
    path("vetoes/impose/<str:subject_type>/<str:pk>/", views.veto_impose, name="veto_impose"),
]
