"""The public side of the portal: what a visitor reads from a published dataset
(its data as a preview, chart and conversions, its formulas, its citation)."""
