"""The REST API over an event store (FastAPI): ``polemos serve``, or ``create_app(url)`` in an ASGI server.

>>> app = create_app("sqlite:///conflict.db", token="secret")  # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
"""

from polemos.api.app import create_app, create_app_from_environment

__all__ = ["create_app", "create_app_from_environment"]
