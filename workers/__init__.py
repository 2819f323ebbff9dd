"""The worker side: `judge/` grades one submission on this machine, `queue/` takes jobs from
Redis and stores results, and `tasks` holds the functions the queue names on the wire."""
