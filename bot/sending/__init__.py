"""Sending: the outbox that delivers queued message steps, the Slack Web API client, and the
App Home publisher. The only code that posts to Slack on its own initiative."""
