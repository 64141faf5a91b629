from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", views.my_tokens, name="tokens"),
    path("tokens/<int:token_pk>/revoke/", views.my_token_revoke, name="token_revoke"),
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("import/<int:job>/passwords/", views.import_credentials, name="import_credentials"),
    path("<int:pk>/", views.account_edit, name="edit"),
    path("<int:pk>/reset-password/", views.account_reset_password, name="reset_password"),
    path("<int:pk>/tokens/", views.account_tokens, name="account_tokens"),
    path("<int:pk>/tokens/<int:token_pk>/revoke/", views.account_token_revoke, name="account_token_revoke"),
]
