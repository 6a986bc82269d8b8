app_name = "province"
urlpatterns: list = []
