"""Dashboard counts kept by school or person and month (models), the live queries they equal (cells), and
their upkeep as things change (upkeep)."""
