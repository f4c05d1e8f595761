"""A local stand-in for Slack, shared by the test suite and `python app.py demo`.

    spec.py       which Web API methods exist and what they require (the committed extract
                  methods.json of Slack's official spec; extract.py regenerates it)
    webapi.py     the fake Web API: answers what Nudge calls, flags what Slack would reject
    signing.py    requests into the bot, shaped and signed exactly as Slack sends them
    workspace.py  pretend people and the Slack client's side of their clicks and typing
    page.py       the demo's web page (static/: plain HTML, CSS and a little JavaScript)
    demo.py       `python app.py demo`: the real bot against all of the above

Nothing in bot/, handlers/ or storage/ imports this package (an import-linter contract).
"""
