from django.urls import path

from translation import views

app_name = "translation"
urlpatterns = [
    path("", views.overview, name="overview"),
]
