"""Satisfaction as the centre's measure: why a citizen is unhappy, rating from the phone, remarks and
their answers, and the figures the hall shows.

- ``reasons``: the reasons of a rating (checked against ``[feedback] reasons``), added after the rating.
- ``phone``: one rating per ticket from the ticket page, within the configured time after service.
- ``remarks``: remarks and complaints, their deadlines in working days, assign / answer / close.
- ``published``: the hall's panel of this month's figures, from the reports' own code.

Every step writes its event row in the same transaction. This package imports nothing of
``lobby.queue`` at import time of its ``__init__``, so the queue rules may use ``reasons``.
"""
