from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("", views.index, name="index"),
    path("enterprise/", views.enterprise_detail, name="enterprise"),
    path("enterprise/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/move/", views.unit_move, name="unit_move"),
    path("units/<int:pk>/void/", views.unit_void, name="unit_void"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/leave/", views.person_leave, name="person_leave"),
    path("people/<int:pk>/roles/", views.person_roles, name="person_roles"),
    path("people/<int:pk>/account/", views.person_account, name="person_account"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/assign/", views.post_assign, name="post_assign"),
    path("posts/<int:pk>/void/", views.post_void, name="post_void"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("authority-changes/", views.authority_changes, name="authority_changes"),
    path(
        "authority-changes/<int:pk>/<slug:step>/",
        views.authority_change_act,
        name="authority_change_act",
    ),
]
