"""forge402 over the Model Context Protocol: the same service as tools an agent lists and calls, paid with x402's
MCP transport (`_meta["x402/payment"]` in, `_meta["x402/payment-response"]` out), over stdio and streamable HTTP.

`tools` (what is listed), `calls` (one function per tool, over the services and the paid lane, as the HTTP routes
call them), `payment` (the x402 MCP transport: the payment out of `_meta`, a sale into a result), `results`
(every result and tool error), `progress` (waiting on a job with progress notifications), `resources` (a finished
model as `forge://jobs/<id>/model.glb`), `server` (the protocol, on the official `mcp` SDK), and the transports:
`http` (streamable HTTP, stateless, mounted at `/mcp`) and `stdio` (`forge402 mcp`: in-process, or relaying to a
running server).
"""
