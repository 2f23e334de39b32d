"""Demo content for a local portal: organizations, one user per role, datasets."""
