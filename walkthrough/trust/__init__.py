"""Checks that the data in a database keeps the rules that hold admin power away from notes."""
