"""The app as each of the scale-out test's app servers runs it: the shared PostgreSQL database, photos and
plans on a folder both servers mount, and Redis for sign-in limits, caches and the task queue."""

import os

from tests.conftest import base_test_config
from walkthrough import create_app

env = os.environ
app = create_app(
    base_test_config(env["WALKTHROUGH_FAULT_DATABASE_URL"])
    | {
        "TESTING": False,
        "PHOTO_FOLDER": env["WALKTHROUGH_PHOTO_FOLDER"],
        "PLANS_FOLDER": env["WALKTHROUGH_PLANS_FOLDER"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": env["WALKTHROUGH_RATELIMIT_STORAGE_URI"],
        "RATELIMIT_KEY_PREFIX": env["WALKTHROUGH_REDIS_PREFIX"],
        "LOGIN_LIMIT_PER_ACCOUNT": "4 per 15 minutes",
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": env["WALKTHROUGH_CACHE_REDIS_URL"],
        "CACHE_KEY_PREFIX": env["WALKTHROUGH_REDIS_PREFIX"],
        "QUEUE_URL": env["WALKTHROUGH_QUEUE_URL"],
    }
)
