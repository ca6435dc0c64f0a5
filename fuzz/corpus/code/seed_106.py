"""Helpers for building post-payment return URLs."""


def with_status(next_url, status):
    separator = "&" if "?" in next_url else "?"
    return next_url + separator + "status=" + status
