"""Mounted by the api app at /api/v1/authorities/."""

from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("delegations", api.DelegationViewSet, basename="delegation")
router.register("approvals", api.ApprovalRequestViewSet, basename="approval")
router.register("vetoes", api.VetoViewSet, basename="veto")

urlpatterns = router.urls
