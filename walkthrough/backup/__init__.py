"""Backups of the database and of the uploaded files, and restoring them."""
