from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """The committee's evaluation: expert panels, exams and interviews, scoring, the vote."""

    name = "zhicheng.evaluation"
    label = "evaluation"
    verbose_name = "评审"

    def ready(self) -> None:
        from zhicheng.evaluation import permissions  # noqa: F401 - registers the rules
