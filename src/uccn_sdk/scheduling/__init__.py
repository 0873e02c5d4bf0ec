"""The scheduler: one leader among the workers follows the schedule kept in the announcements."""
