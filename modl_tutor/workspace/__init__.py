"""Workspaces: the student files that are graded."""
