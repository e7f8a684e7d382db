"""What the background worker records about itself: heartbeats (is anybody working?) and the
runs of periodic jobs, claimed once per period across all workers, retried with backoff,
then dead until staff retry them.

Front door: `beat`, `forget`, `last_seen`, `claim_period`, `finish_period`, `period_of`,
`runs_to_retry`, `failed_runs`, `retry_run`, `job_backlog`.
"""

from portal.services.jobs.heartbeat import beat, forget, last_seen
from portal.services.jobs.periodic import (
    claim_period,
    failed_runs,
    finish_period,
    job_backlog,
    period_of,
    retry_run,
    runs_to_retry,
)

__all__ = ["beat", "claim_period", "failed_runs", "finish_period", "forget", "job_backlog",
           "last_seen", "period_of", "retry_run", "runs_to_retry"]
