"""What persists: the SQLite database (`database`, `schema`) and one module per persisted concept (`jobs`,
`provider_tasks`, `uploads`, `rate_limits`, `webhooks`, `retopo_results`), each a set of plain functions over a
connection, plus the files under the data directory (`files`). A second backend implements the same functions."""
