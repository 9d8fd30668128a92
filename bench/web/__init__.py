"""`make bench-web`: autosave throughput and latency of the site under gunicorn on PostgreSQL (bench/web/run.py)."""
