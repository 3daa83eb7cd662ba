"""Plain helpers with no models: identity-number checks, dates and working days."""
