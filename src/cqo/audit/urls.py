from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("verify/", views.chain_verify, name="chain_verify"),
    path("story/<str:object_type>/<str:object_id>/", views.story, name="story"),
]
