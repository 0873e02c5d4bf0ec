"""The scheduler: one leader among the workers runs APScheduler on the project's database."""
