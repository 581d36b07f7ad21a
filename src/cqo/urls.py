from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through our own page, so its throttle and audit events apply there too.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("cqo.accounts.urls")),
    path("org/", include("cqo.organisation.urls")),
    path("post/", include("cqo.post.urls")),
    path("authorities/", include("cqo.authorities.urls")),
    path("audit/", include("cqo.audit.urls")),
    path("api/", include("cqo.api.urls")),
    path("", include("cqo.workbench.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
