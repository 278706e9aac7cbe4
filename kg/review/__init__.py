"""The review desk: drafts become reviewed facts, one decision at a time (see :mod:`.desk`)."""
