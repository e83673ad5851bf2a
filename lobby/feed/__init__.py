"""The change feed: event rows written with each change, read after the last id seen, waited on cheaply."""
