SAFE_GLOBALS = {"__builtins__": {}, "min": min, "max": max, "round": round}


def evaluate(expression, variables=None):
    return eval(expression, SAFE_GLOBALS, variables or {})
