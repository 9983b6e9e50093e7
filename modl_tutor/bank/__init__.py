"""The exercise bank: models, loading and validation, per-student variants."""
