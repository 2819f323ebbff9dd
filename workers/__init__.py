"""The worker side: nsjail runner, in-jail harness, comparators and reward."""
