"""Professional learning a teacher logs. Below coaching and cohorts, which both count it."""
