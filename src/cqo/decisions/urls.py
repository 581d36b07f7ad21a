"""Mounted at /authorities/ beside the authorities' own pages: the paths stayed where they were."""

from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/<slug:step>/", views.decision_step, name="decision_step"),
]
