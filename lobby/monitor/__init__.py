"""The manager's view without a web framework: the centre's live snapshot, alerts, pauses, staff administration."""
