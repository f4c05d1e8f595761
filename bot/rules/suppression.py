"""Keyed hashes of Slack ids, for people Nudge must remember without knowing who they are
(welcome DMs to people who never joined, one-time requests, erased candidates)."""

from __future__ import annotations

import hashlib
import hmac

HASH_PREFIX = "h1:"


def subject_hash(secret: str, slack_user_id: str) -> str:
    """HMAC-SHA256 of the Slack id under the deployment's secret: stable, not reversible, and
    useless without the secret (a plain hash of a Slack id could be matched by guessing ids)."""
    digest = hmac.new(secret.encode(), slack_user_id.encode(), hashlib.sha256).hexdigest()
    return HASH_PREFIX + digest
