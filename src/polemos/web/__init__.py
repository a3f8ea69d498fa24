"""The web page served by ``polemos serve`` at ``/``: static files in ``static/`` over the REST API."""
