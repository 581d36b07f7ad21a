from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

# The project's URLs name every app's URLconf by import, not by a dotted string: the import
# linter then sees the project at the top of the layers, and a missing app fails here, at once.
from cqo.accounts import urls as accounts_urls
from cqo.anomalies import urls as anomalies_urls
from cqo.api import page_urls as webhook_urls
from cqo.api import urls as api_urls
from cqo.audit import urls as audit_urls
from cqo.authorities import urls as authorities_urls
from cqo.charter import urls as charter_urls
from cqo.costs import urls as costs_urls
from cqo.decisions import urls as decisions_urls
from cqo.incidents import urls as incidents_urls
from cqo.inspection import urls as inspection_urls
from cqo.masterdata import urls as masterdata_urls
from cqo.notifications import urls as notifications_urls
from cqo.organisation import urls as organisation_urls
from cqo.plans import urls as plans_urls
from cqo.post import urls as post_urls
from cqo.recall import urls as recall_urls
from cqo.reports import urls as reports_urls
from cqo.safety import urls as safety_urls
from cqo.workbench import urls as workbench_urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through our own page, so its throttle and audit events apply there too.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts_urls)),
    path("org/", include(organisation_urls)),
    path("post/charter/", include(charter_urls)),
    path("post/", include(post_urls)),
    path("authorities/notifications/", include(notifications_urls)),
    path("authorities/", include(authorities_urls)),
    path("authorities/", include(plans_urls)),
    path("authorities/", include(decisions_urls)),
    path("masterdata/", include(masterdata_urls)),
    path("inspection/", include(inspection_urls)),
    path("anomalies/", include(anomalies_urls)),
    path("incidents/", include(incidents_urls)),
    path("safety/", include(safety_urls)),
    path("recall/", include(recall_urls)),
    path("costs/", include(costs_urls)),
    path("reports/", include(reports_urls)),
    path("audit/", include(audit_urls)),
    path("api/", include(api_urls)),
    path("webhooks/", include(webhook_urls)),
    path("", include(workbench_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
