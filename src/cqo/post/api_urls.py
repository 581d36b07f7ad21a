"""Mounted by the api app at /api/v1/post/."""

from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("appointments", api.AppointmentViewSet, basename="post-appointment")
router.register("qualification", api.QualificationViewSet, basename="post-qualification")
router.register("evidence", api.EvidenceViewSet, basename="post-evidence")
router.register("development-actions", api.DevelopmentActionViewSet, basename="post-action")
router.register("rule-sets", api.RuleSetViewSet, basename="post-ruleset")
router.register("assessments", api.AssessmentViewSet, basename="post-assessment")

urlpatterns = router.urls
