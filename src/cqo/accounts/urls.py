from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SigninView.as_view(), name="login"),
    path("logout/", views.SignoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<str:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("locks/", views.lock_list, name="locks"),
    path("locks/<int:pk>/clear/", views.lock_clear, name="lock_clear"),
]
