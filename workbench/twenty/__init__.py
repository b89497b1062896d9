"""twenty stage."""
