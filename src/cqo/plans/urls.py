"""Mounted at /authorities/ beside the authorities' own pages: the paths stayed where they were."""

from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("strategy/", views.strategy_list, name="strategy_list"),
    path("strategy/<int:pk>/status/", views.strategy_status, name="strategy_status"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plan-items/<int:pk>/progress/", views.plan_item_progress, name="plan_item_progress"),
]
