"""Prefect flows and tasks, source readers and the CLI: the executor of the pipeline."""
