"""Reports: one Result model rendered as table, JSON, CSV, JUnit XML and Gradescope results."""
