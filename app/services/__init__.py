"""The service layer: what the service does, one module per product (`generation`, `retopology`, `files`,
`health`; uploads are `app.photos.uploads`, the paid lane `app.paid.lane`), called by the HTTP routes and by any
other transport. Plain values in (`Caller`, validated request models), domain objects out, domain errors raised;
no HTTP here. `container.Services` holds the long-lived parts they work with."""
