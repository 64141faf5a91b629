"""The test suite's settings (pytest.ini): the production settings — DEBUG off, so the suite runs what
a server runs — given a key and host names of their own and plain HTTP, as the test client and the
browser journeys' live server speak it. Variables already set in the environment win."""

import importlib
import os

os.environ.setdefault("SECRET_KEY", "khuyenhoc-test-suite-only-key-5b7e1c9d2f4a6e8b0c3d5f7a9b1e3c5d")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("KHUYENHOC_HTTPS", "0")

globals().update(
    {name: value for name, value in vars(importlib.import_module("khuyenhoc.settings")).items() if name.isupper()}
)

# A replica alias mirroring the test database (a second connection to it), so that the replica tests
# (khuyenhoc/tests/test_replica.py) can see which connection a read took; reads use it only where a test
# turns KHUYENHOC_READ_REPLICA on.
DATABASES = {**DATABASES, "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}}}  # noqa: F821
