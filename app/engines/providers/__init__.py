"""Adapters for third-party 3D engines (Tripo, Meshy, Siray, Scenario) behind the `RemoteEngine` interface."""
