from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "urbangrid.ops"
    label = "ops"
