from django.urls import include, path

from cqo import urls as product

from . import api

urlpatterns = [
    path("api/v1/contract/nonconformances/<int:pk>/submit/", api.SubmitView.as_view()),
    path("", include(product.urlpatterns)),
]
