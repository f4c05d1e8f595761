"""Every query Nudge runs, one module per aggregate (candidates, ledger, invitations, roles,
steps, send locks, suppression, erasure, markers, runs, sharing). Functions take the session as a
keyword argument and never commit: the caller owns the transaction, so an effect and its
bookkeeping land together or not at all. No policy lives here: what a change sets off is decided
by the rules and the use cases.

Lock order (PostgreSQL row locks; SQLite takes its one write lock up front): a transaction that
locks several of a person's rows takes them in this order, and only in this order:

    candidate  ->  invitation  ->  outgoing_message (steps)  ->  send_lock

(the person first: `candidates.lock_existing_candidate` / `lock_candidate`, then
`invitations.get_invitation(..., for_update=True)`, then step updates such as
`steps.renew_claim`, `cancel_steps`, `mark_*`, then `send_locks`). A click, an opt-out and the
sender all follow it, so two of them can wait for one another but never in a circle. The claim
of due steps (`steps.claim_due`, `claim_message`) locks steps only, in its own transaction.
"""
