"""Screens of the app; each screen's help text is the `.md` file beside its module."""
