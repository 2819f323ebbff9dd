"""The judge: everything that grades one submission on this machine.

`grade.Judge` picks a submission's tests, runs them in a jail (`jail`, warm ones from `pool`,
made fresh between submissions by `keeper`, limited through `cgroups`), and turns what the
in-jail harness (`inside/`) reports into verdicts outside the jail (`verdicts`, `comparators`,
`asserts`, `answers`).  `rawrun` is the same jail for one program and one stdin (`/run_code`).
Nothing here knows of Redis or the queue.
"""
