from django.urls import path

from urbangrid.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("cases/", views.cases, name="cases"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("indicators/", views.indicators, name="indicators"),
    path("accountability/", views.accountable, name="accountability"),
    path("publish/", views.publish, name="publish"),
    path("public/", views.public, name="public"),
    path("public/<int:bulletin_id>/", views.bulletin, name="bulletin"),
    path("public/<int:bulletin_id>.pdf", views.bulletin_pdf, name="bulletin-pdf"),
]
