from django.shortcuts import render

from urbangrid.web.overview import city_overview


def home(request):
    return render(request, "web/home.html", {"overview": city_overview()})
