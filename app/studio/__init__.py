"""The studio: a web page that forges, shows and pays through the public HTTP API (`site`, files under `static/`),
the human 402 page the paid route gives browsers (`paywall`) and the security headers of both (`headers`). Its
routes are `app.http.routes.studio`; the paywall is answered by `app.http.routes.paid`."""
