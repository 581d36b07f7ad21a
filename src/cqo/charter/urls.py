from django.urls import path

from . import views

app_name = "charter"
urlpatterns = [
    path("", views.charter_list, name="charter_list"),
    path("<int:pk>/", views.charter_detail, name="charter_detail"),
    path("<int:pk>/approve/", views.charter_approve, name="charter_approve"),
    path("<int:pk>/publish/", views.charter_publish, name="charter_publish"),
    path("<int:pk>/charter.pdf", views.charter_pdf, name="charter_pdf"),
]
