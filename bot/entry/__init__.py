"""How Nudge is started and served: the command line (`cli`), the HTTP surface and its waitress
servers (`web`), and the scheduled jobs (`jobs`).

The top layer of `bot`: it may use everything below it, and nothing in `bot`, `handlers` or
`storage` imports it. It never imports `app` (the assembly) or `slackstandin` (the demo's
stand-in): `app.py` passes in what only it knows.
"""
