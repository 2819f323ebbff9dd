"""What the gateway and the workers share, and the command line that runs them.

`contract` is where they meet in Redis (keys, the queue, task names, the queued job) and
`deployment` the settings both read; `stack` is the local stack behind `crucible run`; `cli`
is the `crucible` command.  The client (crucible/) sits below all of it and imports none.
"""
