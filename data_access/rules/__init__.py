"""Pure business rules: working-day calendar, periods, metric formulas, scoring, visit rules.

Nothing here talks to the database; queries feed these functions with frames and values.
"""
