"""What harvesters of this portal get (README.md, Harvesting)."""
