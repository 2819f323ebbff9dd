"""The queue worker: takes jobs from Redis, grades each with the judge, stores the result.

`supervisor` keeps N worker `process`es alive; each runs an rq `worker` whose jobs `runner`
executes under a lease that `heartbeat` renews and `reaper` collects when it lapses; `store`
is the one owner of Redis here (besides rq) and `metrics` of Prometheus.
"""
