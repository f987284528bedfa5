"""Converts a Locust locustfile into a Throng scenario file (YAML), with Python's own `ast`.

Python 3 standard library only: throngctl runs this package with /usr/bin/python3.
Entry point: cli/convert/locust_convert.py (what `throngctl convert` runs).
"""
