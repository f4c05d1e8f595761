"""Use cases: load from storage, ask the rules, store the outcome (and queue any message).

Called by handlers and the scheduler; they return results that handlers render with copy.
"""
