import pickle


def load_snapshot(path):
    with open(path, "rb") as fh:
        return pickle.load(fh)
