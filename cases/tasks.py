"""Background work of the cases app (retention review)."""
