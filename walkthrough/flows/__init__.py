"""Flows that must touch several features at once (a person's departure), kept above the features so no
feature reaches into another's insides."""
