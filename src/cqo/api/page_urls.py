"""The administrator's webhook pages, mounted at /webhooks/ by ``cqo.urls``."""

from django.urls import path

from . import pages

app_name = "webhooks"
urlpatterns = [
    path("", pages.endpoint_list, name="endpoint_list"),
    path("new/", pages.endpoint_create, name="endpoint_create"),
    path("<int:pk>/deactivate/", pages.endpoint_deactivate, name="endpoint_deactivate"),
    path("<int:pk>/rotate-secret/", pages.endpoint_rotate, name="endpoint_rotate"),
    path("<int:pk>/ping/", pages.endpoint_ping, name="endpoint_ping"),
    path("deliveries/", pages.delivery_list, name="delivery_list"),
    path("deliveries/<int:pk>/redeliver/", pages.delivery_redeliver, name="delivery_redeliver"),
]
