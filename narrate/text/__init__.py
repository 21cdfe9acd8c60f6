"""Text stages: cleaning and speech normalization, sentences, chunks (all pure functions)."""
