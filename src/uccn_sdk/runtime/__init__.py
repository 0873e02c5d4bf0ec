"""The runtime: what runs the network's work on any platform, whatever connectors carry it.

- :mod:`~uccn_sdk.runtime.bot`: the loop every worker runs: events from the connectors into the
  inbox, each handled once, what it queued sent from the outbox; the jobs the scheduler runs.
- :mod:`~uccn_sdk.runtime.scheduler`: the scheduler the leading worker runs.
- :mod:`~uccn_sdk.runtime.leader`: which worker leads.
- :mod:`~uccn_sdk.runtime.sending`: the outbox sent room by room, rooms side by side.
- :mod:`~uccn_sdk.runtime.context`: what the runtime hooks get (:class:`Runtime`).
- :mod:`~uccn_sdk.runtime.metrics`, :mod:`~uccn_sdk.runtime.health`,
  :mod:`~uccn_sdk.runtime.context_log`: what the operator sees.

The ``uccn-bot`` distribution brings the connectors (Matrix, Slack, the console) and the
``uccn bot run`` command that starts this runtime with them.
"""
