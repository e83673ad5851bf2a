"""Access from outside the centre's own apps: public ticket tokens, API tokens, the guessing limiter,
and what the citizen's ticket page shows. No web framework in here: the web app wraps these."""
