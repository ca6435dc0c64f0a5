"""Discount rules are stored as Python expressions in the admin."""

RULE_GLOBALS = {"__builtins__": {}, "min": min, "max": max}


def apply_discount_rule(rule, order):
    return eval(rule, RULE_GLOBALS, {"order": order})
