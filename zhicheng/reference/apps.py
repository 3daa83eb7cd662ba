from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "zhicheng.reference"
    label = "reference"
