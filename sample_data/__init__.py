"""Deterministic sample county (Xinluo district, Longyan): see ``sample_data.generate``."""
