"""A record of sensitive actions (exports first) that nobody can edit through the app."""
