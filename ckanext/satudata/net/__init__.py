"""The portal's connections to other servers (outgoing fetches of URLs users give)."""
