"""The studio: a web page that forges, shows and pays through the public HTTP API, and the human 402 page."""
