"""Coordinate systems, datums and geometry for the atlas. Knows nothing of maps or UIs."""
