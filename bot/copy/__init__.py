"""Every message and view Nudge shows, as Block Kit built with `slack_sdk.models`.

May import the rules (for names and grammar) but no database, no Bolt and no use case: copy is
handed plain values and returns `Message`s and `View`s. User text is escaped here, once.
"""
