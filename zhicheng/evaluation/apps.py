from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """The committee's evaluation: expert panels, exams and interviews, scoring, the vote."""

    name = "zhicheng.evaluation"
    label = "evaluation"
    verbose_name = "评审"
