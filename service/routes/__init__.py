"""HTTP routes: thin, each parses its request and hands it to `service.gateway.Gateway`."""
