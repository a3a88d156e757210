"""Labelled tables for people: what the app's views and CSV downloads show, in English or Chinese (pandas only).

Rows are indexed by id where the data has one, and the id never appears as a column beside a name.
"""
