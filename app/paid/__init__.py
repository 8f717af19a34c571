"""The paid lane between the services and `payments/`: the gateway's set-up (`gateway`), what is sold and at what
price (`offers`), the flow every paid route shares (`lane`), and creating the bought job once paid (`handoff`)."""
