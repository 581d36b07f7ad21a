"""Mounted by the api app at /api/v1/org/."""

from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("enterprises", api.EnterpriseViewSet, basename="org-enterprise")
router.register("units", api.UnitViewSet, basename="org-unit")
router.register("people", api.PersonViewSet, basename="org-person")
router.register("posts", api.PostViewSet, basename="org-post")
router.register("assignments", api.PostAssignmentViewSet, basename="org-assignment")
router.register("authority-changes", api.AuthorityChangeViewSet, basename="org-authority-change")

urlpatterns = router.urls
