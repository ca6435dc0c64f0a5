import base64


def decode_state(value):
    padded = value + "=" * (-len(value) % 4)
    return base64.b64decode(padded, altchars=b"-_")
