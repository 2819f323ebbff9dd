"""The FastAPI gateway: validates, deduplicates, enqueues and reports submissions."""
