"""Pure rules: consent, eligibility, step gates, send windows, timing, recruiting grammar.

May import only the standard library and each other. `now` is always an argument; nothing here
touches Slack, the database or the scheduler (the import contract in pyproject.toml checks it).
"""
