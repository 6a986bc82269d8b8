from django.urls import path

from urbangrid.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("cases/", views.cases, name="cases"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("indicators/", views.indicators, name="indicators"),
    path("accountability/", views.accountable, name="accountability"),
    path("maintenance/", views.maintenance_report, name="maintenance"),
    path("maintenance/cases/", views.maintenance_cases, name="maintenance-cases"),
    path("maintenance.xlsx", views.maintenance_xlsx, name="maintenance-export"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/draft/", views.bulletin_draft, name="draft"),
    path("bulletins/<int:bulletin_id>/", views.review, name="review"),
    path("bulletins/<int:bulletin_id>/approve/", views.approve, name="approve"),
    path("bulletins/<int:bulletin_id>/reject/", views.reject, name="reject"),
    path("bulletins/<int:bulletin_id>/correct/", views.correct, name="correct"),
    path("public/", views.public, name="public"),
    path("public/<int:bulletin_id>/", views.bulletin, name="bulletin"),
    path("public/<int:bulletin_id>.pdf", views.bulletin_pdf, name="bulletin-pdf"),
]
