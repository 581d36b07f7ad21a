"""Mounted by the api app at /api/v1/authorities/."""

from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("delegations", api.DelegationViewSet, basename="delegation")
router.register("approvals", api.ApprovalRequestViewSet, basename="approval")
router.register("strategies", api.QualityStrategyViewSet, basename="strategy")
router.register("plans", api.QualityPlanViewSet, basename="plan")
router.register("plan-items", api.PlanItemViewSet, basename="plan-item")
router.register("proposals", api.ProposalViewSet, basename="proposal")
router.register("decisions", api.BusinessDecisionViewSet, basename="decision")
router.register("vetoes", api.VetoViewSet, basename="veto")

urlpatterns = router.urls
