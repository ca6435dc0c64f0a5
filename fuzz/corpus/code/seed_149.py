import base64
import pickle


def restore_cart(token):
    data = base64.b64decode(token)
    return pickle.loads(data)
