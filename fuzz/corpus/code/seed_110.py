from django.shortcuts import redirect


def go_back(target):
    response = redirect(target)
    response["Cache-Control"] = "no-store"
    return response
