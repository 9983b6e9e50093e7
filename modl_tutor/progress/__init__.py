"""Progress: attempts and best scores in SQLite."""
