"""Pages of the evaluation: ``office`` for the committee office, ``expert`` for panel members."""
