"""What brings the portal back in step after a service failed: the index
reconciliation (index.py) and the worker that runs it with the validation
recovery at start and periodically (worker.py)."""
