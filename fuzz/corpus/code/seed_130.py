"""Generates the source of a small rule-checking function."""


def rule_source(field, operator, value):
    header = "def check(obj):\n"
    return header + "    return obj[{!r}] {} {}\n".format(field, operator, value)
