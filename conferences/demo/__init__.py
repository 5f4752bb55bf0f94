"""Demo data for conferences (registered by ``conferences.demo.step`` once written)."""
