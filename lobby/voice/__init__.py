"""Voice: numbers in Vietnamese words, voice packs of clips, the queue of announcements."""
