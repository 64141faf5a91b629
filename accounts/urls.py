from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("import/", views.accounts_import, name="import"),
    path("import/template.xlsx", views.accounts_import_template, name="import_template"),
    path("<int:pk>/", views.account_edit, name="edit"),
    path("<int:pk>/reset-password/", views.account_reset_password, name="reset_password"),
]
