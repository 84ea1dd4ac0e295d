"""The app as the fault tests serve it under gunicorn: their database and folders, and no CSRF
tokens to fetch (the clients are scripts; CSRF has its own tests)."""

import os

from tests.conftest import base_test_config
from walkthrough import create_app

app = create_app(base_test_config(os.environ["WALKTHROUGH_FAULT_DATABASE_URL"]) | {"TESTING": False})
