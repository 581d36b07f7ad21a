from __future__ import annotations

from . import views

app_name = "performance"
urlpatterns = views.urlpatterns
