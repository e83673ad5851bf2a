"""``lobby-web``: the citizen's ticket page, the HTTP API and (issue 13) the manager's pages, over ``lobby/``."""
