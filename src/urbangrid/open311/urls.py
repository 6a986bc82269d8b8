from django.urls import path, re_path

from urbangrid.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>xml|json)$"

urlpatterns = [
    path("", views.root, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/.]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.service_requests, name="requests"),
    re_path(r"^requests/(?P<number>[^/.]+)" + FMT, views.service_request, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FMT, views.token, name="token"),
    path("media/<int:attachment_id>", views.media, name="media"),
    re_path(r"^(?P<rest>[\s\S]+)\Z", views.not_found),  # newlines too: every other URL
]
