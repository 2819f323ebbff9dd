"""HTTP routes: thin, each hands its request to service.intake.Gateway."""
