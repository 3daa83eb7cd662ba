"""Writes of the evaluation, one module per step: ``pool`` (experts and their relations),
``panel`` (draw, replacement, assignments), ``exams`` (exam and interview scores and their
XLSX import), ``scoring`` (the panel's scores), ``vote`` (open, ballots, close, confirm).

Every service is keyword-only, runs in a transaction, checks the actor's permission and logs
its change with ``log_action``. Once a plan's vote is confirmed, every write refuses
(``EvaluationError``): the decisions are final."""
