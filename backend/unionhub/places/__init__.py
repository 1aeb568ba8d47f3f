"""The official administrative list (provinces and their communes/wards, after the 2025 reform):
reference data for pickers and for naming the commune codes stored on members, unions and
enterprises. Loaded from the maintained `vietnam-provinces` package by `unionhub places load`."""
