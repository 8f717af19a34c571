"""The paid lane's glue between HTTP and `payments/`: offers priced per tier, the gateway's set-up, the devnet."""
