"""`crucible curate`: a raw code data set in, the problems whose tests can be trusted out,
with a report of what was rejected and why (DeepCoder's filter, as one command)."""
