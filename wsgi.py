"""Entry point for gunicorn (`gunicorn wsgi:app`) and `flask --app wsgi`."""

import gc

from walkthrough import create_app

app = create_app()
# The app's own objects (routes, templates, table metadata) live as long as the process: left to the
# collector, every full collection walks all of them, a pause of tens of milliseconds in some request.
gc.freeze()
